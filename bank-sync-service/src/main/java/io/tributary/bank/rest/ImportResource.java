package io.tributary.bank.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.tributary.bank.mapping.CsvStatement;
import io.tributary.bank.service.ImportService;
import io.tributary.kit.problem.ProblemException;
import io.tributary.kit.problem.QueryParameters;
import io.tributary.kit.security.CurrentUser;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/** Transactions from an exported file (Mint, Empower, or any CSV with a column mapping) into the caller's import integration. */
@Path("/api/bank/imports")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@SecurityRequirement(name = "SecurityScheme")
public class ImportResource {

    private final ImportService imports;
    private final CurrentUser user;
    private final ObjectMapper mapper;
    private final Validator validator;

    public ImportResource(ImportService imports, CurrentUser user, ObjectMapper mapper, Validator validator) {
        this.imports = imports;
        this.user = user;
        this.mapper = mapper;
        this.validator = validator;
    }

    /** Which columns hold what (header names, case-insensitive), for {@code format=generic}. */
    public record MappingRequest(@NotBlank @Size(max = 100) String date, @NotBlank @Size(max = 100) String amount,
            @NotBlank @Size(max = 100) String description, @Size(max = 100) String account,
            @Size(max = 100) String merchant, @Size(max = 100) String category, @Size(max = 100) String currency,
            @Size(max = 100) String notes, @Size(max = 40) String dateFormat, Boolean expensesPositive) {
    }

    @POST
    @Blocking
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Import a Mint or Empower export, or any CSV with a mapping: good rows are imported, "
            + "bad ones reported with their line and reason, rows imported before add nothing")
    public Uni<ImportService.Report> importFile(@RestForm("integrationId") String integrationId,
            @RestForm("format") String format, @RestForm("mapping") String mapping,
            @RestForm("currency") String currency, @RestForm("account") String account,
            @RestForm("file") FileUpload file) {
        UUID integration = QueryParameters.parseUuid("integrationId", integrationId)
                .orElseThrow(() -> ProblemException.invalid("integrationId", "is required"));
        CsvStatement.Format chosen = format(format);
        CsvStatement.Mapping columns = chosen == CsvStatement.Format.GENERIC ? mapping(mapping) : null;
        String defaultCurrency = currency == null || currency.isBlank() ? "USD" : currency.trim();
        if (!defaultCurrency.matches("[A-Z]{3}")) {
            throw ProblemException.invalid("currency", "must be an ISO 4217 code such as GBP");
        }
        String defaultAccount = account == null || account.isBlank() ? "Imported" : account.trim();
        if (defaultAccount.length() > 255) {
            throw ProblemException.invalid("account", "must be at most 255 characters");
        }
        if (file == null || file.uploadedFile() == null) {
            throw ProblemException.invalid("file", "is required (multipart field \"file\")");
        }
        try (Reader reader = new java.io.InputStreamReader(Files.newInputStream(file.uploadedFile()),
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT))) {
            return imports.importFile(user.id(), integration, chosen, columns, defaultCurrency, defaultAccount, reader);
        } catch (IOException e) {
            throw ProblemException.invalid("file", "could not be read as UTF-8 text");
        }
    }

    private static CsvStatement.Format format(String format) {
        if (format == null || format.isBlank()) {
            throw ProblemException.invalid("format", "is required: mint, empower or generic");
        }
        return switch (format.trim().toLowerCase(Locale.ROOT)) {
            case "mint" -> CsvStatement.Format.MINT;
            case "empower" -> CsvStatement.Format.EMPOWER;
            case "generic" -> CsvStatement.Format.GENERIC;
            default -> throw ProblemException.invalid("format", "must be mint, empower or generic");
        };
    }

    private CsvStatement.Mapping mapping(String json) {
        if (json == null || json.isBlank()) {
            throw ProblemException.invalid("mapping", "is required for format=generic: "
                    + "{\"date\": …, \"amount\": …, \"description\": …}");
        }
        MappingRequest request;
        try {
            request = mapper.readValue(json, MappingRequest.class);
        } catch (IOException e) {
            throw ProblemException.invalid("mapping", "is not a JSON mapping of column names");
        }
        Set<ConstraintViolation<MappingRequest>> violations = validator.validate(request);
        if (!violations.isEmpty()) {
            ConstraintViolation<MappingRequest> first = violations.iterator().next();
            throw ProblemException.invalid("mapping." + first.getPropertyPath(), first.getMessage());
        }
        return new CsvStatement.Mapping(request.date(), request.amount(), request.description(), request.account(),
                request.merchant(), request.category(), request.currency(), request.notes(), request.dateFormat(),
                Boolean.TRUE.equals(request.expensesPositive()));
    }
}

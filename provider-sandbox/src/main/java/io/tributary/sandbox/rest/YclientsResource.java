package io.tributary.sandbox.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.sandbox.config.SandboxConfig;
import io.tributary.sandbox.service.Ledgers;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * YCLIENTS' API under {@code /yclients/api/v1} (shared/providers.md 2.7, from a third-party SDK
 * citing its docs): {@code POST /auth} gives a user token for a login (password {@code sandbox}),
 * user-scoped calls carry {@code Authorization: Bearer {partner}, User {user}}; the user's companies
 * and their records ({@code page}, {@code count}, {@code start_date}/{@code end_date},
 * {@code changed_after}/{@code changed_before}); answers {@code {success, data, meta}}.
 */
@Path("/yclients/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class YclientsResource {

    public static final String RECORDS = "records";
    private static final String PASSWORD = "sandbox";
    private static final ZoneId ZONE = ZoneId.of("Europe/Moscow");
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final List<String[]> SERVICES = List.of(new String[] {"Haircut", "1500"},
            new String[] {"Colouring", "4500"}, new String[] {"Manicure", "1800"}, new String[] {"Massage", "3000"});
    private static final List<String> STAFF = List.of("Anna", "Maria", "Oleg", "Svetlana");

    private final String partnerToken;
    private final Ledgers ledgers;

    public YclientsResource(SandboxConfig config, Ledgers ledgers) {
        this.partnerToken = config.yclients().partnerToken();
        this.ledgers = ledgers;
    }

    @POST
    @Path("/auth")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response auth(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, JsonNode body) {
        if (!partnerToken.equals(partner(authorization))) {
            return failure(401, "Partner authentication failed");
        }
        String login = body == null ? null : text(body, "login");
        String password = body == null ? null : text(body, "password");
        if (login == null || password == null) {
            return failure(422, "login and password are required");
        }
        if (!PASSWORD.equals(password)) {
            return failure(401, "Incorrect login or password");
        }
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("id", userId(login));
        user.put("user_token", userToken(login));
        user.put("name", login);
        user.put("phone", "79000000000");
        user.put("login", login);
        user.put("email", login.contains("@") ? login : login + "@example.com");
        user.put("avatar", null);
        user.put("is_approved", true);
        return ok(user, List.of());
    }

    @GET
    @Path("/companies")
    public Response companies(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return withUser(authorization, login -> ok(List.of(Map.of("id", companyId(login), "title", "Sandbox salon "
                + login, "public_title", "Sandbox salon", "country", "Russia", "city", "Moscow", "timezone", 3,
                "timezone_name", ZONE.getId(), "currency_short_title", "₽", "active", 1)), Map.of("total_count", 1)));
    }

    @GET
    @Path("/records/{companyId}")
    public Response records(@PathParam("companyId") long companyId, @QueryParam("page") String page,
            @QueryParam("count") String count, @QueryParam("start_date") String startDate,
            @QueryParam("end_date") String endDate, @QueryParam("changed_after") String changedAfter,
            @QueryParam("changed_before") String changedBefore,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return withUser(authorization, login -> {
            if (companyId != companyId(login)) {
                return failure(403, "No access to this company");
            }
            int pageNumber;
            int pageSize;
            Instant after;
            Instant before;
            LocalDate from;
            LocalDate to;
            try {
                pageNumber = Params.positive(page, "page", 1, Integer.MAX_VALUE);
                pageSize = Params.positive(count, "count", 25, 200);
                after = changedAfter == null ? null : OffsetDateTime.parse(changedAfter).toInstant();
                before = changedBefore == null ? null : OffsetDateTime.parse(changedBefore).toInstant();
                from = startDate == null ? null : LocalDate.parse(startDate);
                to = endDate == null ? null : LocalDate.parse(endDate);
            } catch (IllegalArgumentException | DateTimeParseException invalid) {
                return failure(422, "page and count are positive integers (count ≤ 200), start_date/end_date "
                        + "YYYY-MM-DD, changed_after/changed_before ISO 8601 date-times");
            }
            Ledgers.Book book = ledgers.book("yclients", String.valueOf(companyId), RECORDS);
            Ledgers.Selection selection = book.changedSince(after, null);
            List<Map<String, Object>> records = new ArrayList<>();
            long total = 0;
            long skip = (long) (pageNumber - 1) * pageSize;
            for (long position = 0; position < selection.size(); position++) {
                Ledgers.Entry entry = book.entry(selection.index(position));
                LocalDate visit = visit(entry).toLocalDate();
                if (entry.deleted() && after == null || before != null && !entry.updated().isBefore(before)
                        || from != null && visit.isBefore(from) || to != null && visit.isAfter(to)) {
                    continue;
                }
                if (total >= skip && records.size() < pageSize) {
                    records.add(record(companyId, entry));
                }
                total++;
            }
            return ok(records, Map.of("page", pageNumber, "total_count", total));
        });
    }

    private Response withUser(String authorization, Function<String, Response> action) {
        // "Bearer {partner token}, User {user token}"
        if (authorization == null || !partnerToken.equals(partner(authorization))) {
            return failure(401, "Partner authentication failed");
        }
        int user = authorization.indexOf("User ");
        String token = user < 0 ? null : authorization.substring(user + 5).trim();
        String login = token == null ? null : loginOf(token);
        if (login == null) {
            return failure(401, "User authentication failed");
        }
        return action.apply(login);
    }

    private static String partner(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String rest = authorization.substring(7);
        int comma = rest.indexOf(',');
        return (comma < 0 ? rest : rest.substring(0, comma)).trim();
    }

    /** User tokens are the login and a keyed digest of it: anyone can read the login, nobody can forge one. */
    private String userToken(String login) {
        return HexFormat.of().formatHex(login.getBytes(StandardCharsets.UTF_8)) + "." + digest(login);
    }

    private String loginOf(String token) {
        int dot = token.indexOf('.');
        if (dot <= 0) {
            return null;
        }
        try {
            String login = new String(HexFormat.of().parseHex(token.substring(0, dot)), StandardCharsets.UTF_8);
            return MessageDigest.isEqual(digest(login).getBytes(StandardCharsets.UTF_8),
                    token.substring(dot + 1).getBytes(StandardCharsets.UTF_8)) ? login : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private String digest(String login) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest((partnerToken + ":" + login).getBytes(StandardCharsets.UTF_8))).substring(0, 32);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long userId(String login) {
        return Math.floorMod(login.hashCode(), 9_000_000L) + 1_000_000L;
    }

    private static long companyId(String login) {
        return Math.floorMod(("company:" + login).hashCode(), 900_000L) + 100_000L;
    }

    /** The visit a record books: a few days after it was made, in the salon's day. */
    private static java.time.LocalDateTime visit(Ledgers.Entry entry) {
        return entry.created().plus(entry.pick() % 7, ChronoUnit.DAYS).atZone(ZONE).toLocalDateTime()
                .withHour(10 + entry.pick() % 9).withMinute(0).withSecond(0);
    }

    private static Map<String, Object> record(long companyId, Ledgers.Entry entry) {
        String[] service = entry.choose(SERVICES);
        int staff = (int) Math.floorMod(entry.salt(), (long) STAFF.size());
        java.time.LocalDateTime visit = visit(entry);
        boolean past = visit.atZone(ZONE).toInstant().isBefore(Instant.now());
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("id", 500_000_000L + entry.index() + 1);
        record.put("company_id", companyId);
        record.put("staff_id", 1_000 + staff);
        record.put("services", List.of(Map.of("id", 10_000 + SERVICES.indexOf(service), "title", service[0],
                "cost", Integer.parseInt(service[1]), "cost_per_unit", Integer.parseInt(service[1]), "amount", 1,
                "discount", 0, "first_cost", Integer.parseInt(service[1]))));
        record.put("goods_transactions", List.of());
        record.put("staff", Map.of("id", 1_000 + staff, "name", STAFF.get(staff), "specialization", "Stylist"));
        record.put("client", Map.of("id", 3_000_000L + entry.pick() % 400, "name", "Client " + entry.pick() % 400,
                "phone", "+7900" + String.format("%07d", entry.pick() % 10_000_000)));
        record.put("date", LOCAL.format(visit));
        record.put("datetime", visit.atZone(ZONE).toOffsetDateTime().toString());
        record.put("create_date", entry.created().atZone(ZONE).toOffsetDateTime().toString());
        record.put("last_change_date", entry.updated().atZone(ZONE).toOffsetDateTime().toString());
        record.put("comment", "");
        record.put("online", entry.pick() % 2 == 0);
        // 1 came, -1 did not come, 0 waiting, 2 confirmed
        int attendance = entry.deleted() ? -1 : past ? (entry.salt() % 10 == 0 ? -1 : 1) : 2;
        record.put("visit_attendance", attendance);
        record.put("attendance", attendance);
        record.put("confirmed", 1);
        record.put("seance_length", 3600);
        record.put("length", 3600);
        record.put("visit_id", 700_000_000L + entry.index() + 1);
        record.put("paid_full", past && attendance == 1 ? 1 : 0);
        record.put("deleted", entry.deleted());
        return record;
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.path(field);
        return value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }

    private static Response ok(Object data, Object meta) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", true);
        body.put("data", data);
        body.put("meta", meta);
        return Response.ok(body).build();
    }

    private static Response failure(int status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", false);
        body.put("data", null);
        body.put("meta", Map.of("message", message));
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body).build();
    }
}

package io.tributary.bank.mapping;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.DuplicateHeaderMode;

import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads an exported transactions file row by row into {@link Row}s, or a reason per rejected row.
 * Amounts come out in the bank schema's convention (money out positive). Each row gets a
 * fingerprint of its content and of how many identical rows came before it in the file, so the same
 * file imported again matches row for row and adds nothing, while two real identical purchases on
 * one day stay two.
 */
public final class CsvStatement {

    /** Rows beyond this are refused as a whole file: imports are for history, not bulk loads. */
    public static final int MAX_ROWS = 50_000;
    private static final int MAX_TEXT = 500;
    private static final BigDecimal MAX_AMOUNT = new BigDecimal("1e15");

    private CsvStatement() {
    }

    public enum Format { MINT, EMPOWER, GENERIC }

    /**
     * Which columns hold what, by header name (case-insensitive); {@code date}, {@code amount} and
     * {@code description} are required. {@code expensesPositive}: the file shows spending as positive.
     */
    public record Mapping(String date, String amount, String description, String account, String merchant,
            String category, String currency, String notes, String dateFormat, boolean expensesPositive) {
    }

    public record Row(int line, String account, LocalDate date, BigDecimal amount, String currency, String name,
            String merchant, String category, String notes, String fingerprint) {
    }

    public record Rejected(int line, String reason) {
    }

    public record Parsed(List<Row> rows, List<Rejected> rejected) {
    }

    /** Mint's export: Date (M/D/YYYY), Description, Original Description, Amount (unsigned), Transaction Type (debit/credit), Category, Account Name, Labels, Notes. */
    static final Mapping MINT = new Mapping("Date", "Amount", "Description", "Account Name", "Original Description",
            "Category", null, "Notes", "M/d/yyyy", true);

    /** Empower / Personal Capital's export: Date (YYYY-MM-DD), Account, Description, Category, Tags, Amount (negative out). */
    static final Mapping EMPOWER = new Mapping("Date", "Amount", "Description", "Account", null, "Category", null,
            null, "yyyy-MM-dd", false);

    /** Thrown for a file that cannot be read at all (no header, a required column missing, too many rows). */
    public static class UnreadableFile extends RuntimeException {

        public UnreadableFile(String message) {
            super(message, null, false, false);
        }
    }

    public static Parsed parse(Reader reader, Format format, Mapping generic, String defaultCurrency,
            String defaultAccount) {
        Mapping mapping = switch (format) {
            case MINT -> MINT;
            case EMPOWER -> EMPOWER;
            case GENERIC -> generic;
        };
        DateTimeFormatter dates;
        try {
            dates = DateTimeFormatter.ofPattern(mapping.dateFormat() == null ? "yyyy-MM-dd" : mapping.dateFormat(),
                    Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new UnreadableFile("dateFormat is not a date pattern: " + e.getMessage());
        }
        CSVFormat csv = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setIgnoreEmptyLines(true)
                .setTrim(true).setIgnoreHeaderCase(true).setAllowMissingColumnNames(true)
                // a column named twice is ambiguous: which "Date" is the date?
                .setDuplicateHeaderMode(DuplicateHeaderMode.ALLOW_EMPTY).get();
        List<Row> rows = new ArrayList<>();
        List<Rejected> rejected = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        try (CSVParser parser = csv.parse(reader)) {
            Map<String, Integer> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            headers.putAll(parser.getHeaderMap());
            for (String required : new String[] {mapping.date(), mapping.amount(), mapping.description()}) {
                if (!headers.containsKey(required)) {
                    throw new UnreadableFile("the file has no \"" + required + "\" column; its columns are "
                            + parser.getHeaderNames());
                }
            }
            for (CSVRecord record : parser) {
                if (record.getRecordNumber() > MAX_ROWS) {
                    throw new UnreadableFile("the file has more than " + MAX_ROWS + " rows; split it");
                }
                int line = (int) record.getRecordNumber() + 1;
                try {
                    Row row = row(record, line, format, mapping, dates, headers, defaultCurrency, defaultAccount,
                            seen);
                    rows.add(row);
                } catch (IllegalArgumentException reason) {
                    rejected.add(new Rejected(line, reason.getMessage()));
                }
            }
        } catch (IOException | java.io.UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
            // e.g. a column name given twice, a quote never closed, bytes that are not UTF-8
            throw new UnreadableFile("the file is not CSV this service can read: " + e.getMessage());
        }
        return new Parsed(rows, rejected);
    }

    private static Row row(CSVRecord record, int line, Format format, Mapping mapping, DateTimeFormatter dates,
            Map<String, Integer> headers, String defaultCurrency, String defaultAccount, Map<String, Integer> seen) {
        LocalDate date;
        String dateText = value(record, headers, mapping.date()).orElseThrow(() -> missing(mapping.date()));
        try {
            date = LocalDate.parse(dateText, dates);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(mapping.date() + " \"" + clip(dateText) + "\" is not a date like "
                    + (mapping.dateFormat() == null ? "yyyy-MM-dd" : mapping.dateFormat()));
        }
        String amountText = value(record, headers, mapping.amount()).orElseThrow(() -> missing(mapping.amount()));
        BigDecimal amount;
        try {
            amount = new BigDecimal(amountText.replace(",", "").replace("$", "").replace("£", "").replace("€", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(mapping.amount() + " \"" + clip(amountText) + "\" is not an amount");
        }
        if (amount.abs().compareTo(MAX_AMOUNT) >= 0 || amount.scale() > 4) {
            throw new IllegalArgumentException(mapping.amount() + " \"" + clip(amountText) + "\" is out of range");
        }
        if (format == Format.MINT) {
            String type = value(record, headers, "Transaction Type").orElse("").toLowerCase(Locale.ROOT);
            if (!type.equals("debit") && !type.equals("credit")) {
                throw new IllegalArgumentException("Transaction Type must be debit or credit");
            }
            amount = type.equals("debit") ? amount.abs() : amount.abs().negate();
        } else if (!mapping.expensesPositive()) {
            amount = amount.negate();
        }
        String name = value(record, headers, mapping.description()).orElseThrow(() -> missing(mapping.description()));
        String currency = optional(record, headers, mapping.currency()).map(text -> text.toUpperCase(Locale.ROOT))
                .orElse(defaultCurrency);
        if (!currency.matches("[A-Z]{3}")) {
            throw new IllegalArgumentException("currency \"" + clip(currency) + "\" is not an ISO 4217 code");
        }
        String account = optional(record, headers, mapping.account()).orElse(defaultAccount);
        String merchant = optional(record, headers, mapping.merchant()).orElse(null);
        String category = optional(record, headers, mapping.category()).orElse(null);
        String notes = optional(record, headers, mapping.notes()).orElse(null);
        if (account.length() > 255) {
            throw new IllegalArgumentException("the account name is longer than 255 characters");
        }
        for (String text : new String[] {name, merchant, category, notes}) {
            if (text != null && text.length() > MAX_TEXT) {
                throw new IllegalArgumentException("a field is longer than " + MAX_TEXT + " characters");
            }
        }
        String content = String.join("\u001f", account, date.toString(), amount.stripTrailingZeros().toPlainString(),
                currency, name);
        int occurrence = seen.merge(content, 1, Integer::sum);
        return new Row(line, account, date, amount, currency, name, merchant, category, notes,
                sha256(content + "\u001f" + occurrence));
    }

    private static Optional<String> value(CSVRecord record, Map<String, Integer> headers, String column) {
        Integer index = headers.get(column);
        if (index == null || index >= record.size()) {
            return Optional.empty();
        }
        String text = record.get(index);
        return text == null || text.isBlank() ? Optional.empty() : Optional.of(text.strip());
    }

    private static Optional<String> optional(CSVRecord record, Map<String, Integer> headers, String column) {
        return column == null ? Optional.empty() : value(record, headers, column);
    }

    private static IllegalArgumentException missing(String column) {
        return new IllegalArgumentException(column + " is empty");
    }

    private static String clip(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

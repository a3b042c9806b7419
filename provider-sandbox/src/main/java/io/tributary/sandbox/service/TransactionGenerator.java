package io.tributary.sandbox.service;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * Deterministic bank data: every account and transaction is computed from the Item's seed and
 * its position, never stored, so the same seed gives the same data and a million transactions cost
 * no memory. Transactions spread over the two years up to the anchor date, oldest first; the
 * newest few of each account are pending.
 */
public final class TransactionGenerator {

    /** Pending transactions at the end of each account's history. */
    public static final int PENDING_PER_ACCOUNT = 3;
    private static final int HISTORY_DAYS = 730;

    private static final String[][] ACCOUNTS = {
            {"Plaid Checking", "Plaid Gold Standard 0% Interest Checking", "depository", "checking"},
            {"Plaid Saving", "Plaid Silver Standard 0.1% Interest Saving", "depository", "savings"},
            {"Plaid Credit Card", "Plaid Diamond 12.5% APR Interest Credit Card", "credit", "credit card"},
            {"Plaid Money Market", "Plaid Platinum Standard 1.85% Interest Money Market", "depository", "money market"}};

    /** name, merchant, primary category, detailed category, channel, min, max (money out is positive). */
    private static final String[][] MERCHANTS = {
            {"Tesco Stores 3217", "Tesco", "FOOD_AND_DRINK", "FOOD_AND_DRINK_GROCERIES", "in store", "4", "120"},
            {"Uber 063015 SF**POOL**", "Uber", "TRANSPORTATION", "TRANSPORTATION_TAXIS_AND_RIDE_SHARES", "online", "6",
                    "45"},
            {"Starbucks", "Starbucks", "FOOD_AND_DRINK", "FOOD_AND_DRINK_COFFEE", "in store", "3", "12"},
            {"AMAZON MKTPL*2K4", "Amazon", "GENERAL_MERCHANDISE", "GENERAL_MERCHANDISE_ONLINE_MARKETPLACES", "online",
                    "8", "240"},
            {"Netflix.com", "Netflix", "ENTERTAINMENT", "ENTERTAINMENT_TV_AND_MOVIES", "online", "10", "18"},
            {"Shell Oil 5741", "Shell", "TRANSPORTATION", "TRANSPORTATION_GAS", "in store", "25", "90"},
            {"CITY OF LONDON RATES", null, "GOVERNMENT_AND_NON_PROFIT", "GOVERNMENT_AND_NON_PROFIT_TAX_PAYMENT",
                    "other", "80", "400"},
            {"ACME LTD PAYROLL", "Acme", "INCOME", "INCOME_WAGES", "other", "-4200", "-1800"}};

    private TransactionGenerator() {
    }

    public record Account(String accountId, String name, String officialName, String type, String subtype,
            String mask, BigDecimal current, BigDecimal available, BigDecimal limit, String currency) {
    }

    public record Transaction(String transactionId, String accountId, BigDecimal amount, String currency,
            LocalDate date, String name, String merchantName, String primaryCategory, String detailedCategory,
            String paymentChannel, boolean pending, String pendingTransactionId) {

        public Transaction withChange(BigDecimal newAmount, String newName) {
            return new Transaction(transactionId, accountId, newAmount, currency, date, newName, merchantName,
                    primaryCategory, detailedCategory, paymentChannel, pending, pendingTransactionId);
        }

        /** The posted transaction that replaces this pending one: a new id that names the pending one. */
        public Transaction posted(String newId) {
            return new Transaction(newId, accountId, amount, currency, date, name, merchantName, primaryCategory,
                    detailedCategory, paymentChannel, false, transactionId);
        }
    }

    public static Account account(long seed, int index, String currency) {
        SplittableRandom random = new SplittableRandom(mix(seed, index, 0xACC));
        String[] kind = ACCOUNTS[index % ACCOUNTS.length];
        boolean credit = "credit".equals(kind[2]);
        BigDecimal current = money(random, credit ? 50 : 100, credit ? 3000 : 25000);
        return new Account(id(seed, index, -1, 0xACC), kind[0] + (index >= ACCOUNTS.length ? " " + (index + 1) : ""),
                kind[1], kind[2], kind[3], String.format("%04d", random.nextInt(10_000)), current,
                credit ? null : current.subtract(money(random, 0, 100)).max(BigDecimal.ZERO),
                credit ? new BigDecimal("5000.00") : null, currency);
    }

    /**
     * Transaction {@code index} of account {@code account}: indexes below {@code perAccount} are the
     * history; later ones (added by churn) are dated on the anchor date.
     */
    public static Transaction transaction(long seed, int account, long index, int perAccount, LocalDate anchor,
            String currency) {
        SplittableRandom random = new SplittableRandom(mix(seed, account, index));
        String[] merchant = MERCHANTS[random.nextInt(MERCHANTS.length)];
        BigDecimal amount = money(random, Integer.parseInt(merchant[5]), Integer.parseInt(merchant[6]));
        long daysBack = index >= perAccount ? 0 : (perAccount - 1 - index) * (long) HISTORY_DAYS / Math.max(1, perAccount);
        boolean pending = index < perAccount && index >= perAccount - PENDING_PER_ACCOUNT;
        return new Transaction(id(seed, account, index, 0x7A), id(seed, account, -1, 0xACC), amount, currency,
                anchor.minusDays(daysBack), merchant[0], merchant[1], merchant[2], merchant[3], merchant[4], pending,
                null);
    }

    /** A stable Plaid-looking id (37 characters) for a position. */
    static String id(long seed, int account, long index, int salt) {
        SplittableRandom random = new SplittableRandom(mix(seed, account, index * 31 + salt));
        byte[] bytes = new byte[14];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        String hex = HexFormat.of().formatHex(bytes);
        StringBuilder id = new StringBuilder();
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        for (int i = 0; i < 37; i++) {
            id.append(alphabet.charAt(Math.floorMod(hex.charAt(i % hex.length()) * 31 + random.nextInt(62), 62)));
        }
        return id.toString();
    }

    static long mix(long seed, long a, long b) {
        long h = seed * 0x9E3779B97F4A7C15L + a * 0xC2B2AE3D27D4EB4FL + b * 0x165667B19E3779F9L;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        return h;
    }

    private static BigDecimal money(SplittableRandom random, int min, int max) {
        long cents = min * 100L + random.nextLong(Math.max(1, (max - min) * 100L));
        return BigDecimal.valueOf(cents, 2).setScale(2, RoundingMode.UNNECESSARY);
    }
}

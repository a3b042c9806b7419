package io.tributary.bank.benchmark;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Plaid stand-in for the benchmark that writes each {@code /transactions/sync} page as it is asked
 * for (cursor {@code p<n>}), so no volume is held in memory: {@code benchmark.transactions}
 * transactions over two accounts, pages of the requested count.
 */
public class GeneratedPlaidTestResource implements QuarkusTestResourceLifecycleManager {

    private static final Pattern CURSOR = Pattern.compile("\"cursor\"\\s*:\\s*\"p(\\d+)\"");
    private static final Pattern COUNT = Pattern.compile("\"count\"\\s*:\\s*(\\d+)");
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        long total = Long.getLong("benchmark.transactions", 100_000);
        try {
            server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/transactions/sync", exchange -> {
            String request = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Matcher cursor = CURSOR.matcher(request);
            Matcher count = COUNT.matcher(request);
            long from = cursor.find() ? Long.parseLong(cursor.group(1)) : 0;
            int size = count.find() ? Integer.parseInt(count.group(1)) : 100;
            long to = Math.min(total, from + size);
            byte[] page = page(from, to, total).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, page.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(page);
            }
        });
        server.start();
        return Map.of("test.plaid.url", "http://localhost:" + server.getAddress().getPort());
    }

    private static String page(long from, long to, long total) {
        StringBuilder json = new StringBuilder(700 * (int) (to - from) + 1_000);
        json.append("{\"accounts\":[").append(account("acc-0", "depository", "checking"))
                .append(',').append(account("acc-1", "credit", "credit card")).append("],\"added\":[");
        for (long i = from; i < to; i++) {
            if (i > from) {
                json.append(',');
            }
            json.append("{\"account_id\":\"acc-").append(i % 2).append("\",\"amount\":").append(1 + i % 9000)
                    .append('.').append(two(i % 100))
                    .append(",\"iso_currency_code\":\"USD\",\"unofficial_currency_code\":null,\"date\":\"2026-")
                    .append(two(1 + i % 12)).append('-').append(two(1 + i % 28))
                    .append("\",\"datetime\":null,\"authorized_date\":null,\"authorized_datetime\":null,")
                    .append("\"name\":\"Merchant ").append(i % 500).append("\",\"merchant_name\":\"Merchant ")
                    .append(i % 500).append("\",\"pending\":false,\"pending_transaction_id\":null,")
                    .append("\"account_owner\":null,\"transaction_id\":\"txn-").append(i)
                    .append("\",\"payment_channel\":\"online\",\"personal_finance_category\":{\"primary\":")
                    .append("\"GENERAL_MERCHANDISE\",\"detailed\":\"GENERAL_MERCHANDISE_OTHER\"}}");
        }
        json.append("],\"modified\":[],\"removed\":[],\"next_cursor\":\"p").append(to).append("\",\"has_more\":")
                .append(to < total).append(",\"transactions_update_status\":\"HISTORICAL_UPDATE_COMPLETE\",")
                .append("\"request_id\":\"bench\"}");
        return json.toString();
    }

    private static String two(long value) {
        return value < 10 ? "0" + value : Long.toString(value);
    }

    private static String account(String id, String type, String subtype) {
        return "{\"account_id\":\"" + id + "\",\"balances\":{\"available\":100.00,\"current\":100.00,\"limit\":null,"
                + "\"iso_currency_code\":\"USD\",\"unofficial_currency_code\":null},\"mask\":\"0000\",\"name\":\""
                + id + "\",\"official_name\":null,\"type\":\"" + type + "\",\"subtype\":\"" + subtype + "\"}";
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}

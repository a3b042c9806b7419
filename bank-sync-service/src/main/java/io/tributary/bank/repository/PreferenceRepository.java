package io.tributary.bank.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

/** A user's banking preferences: their defaults (no account) and one account's own. */
@ApplicationScoped
public class PreferenceRepository {

    private static final String COLUMNS = "balance_alerts_enabled, low_balance_threshold, large_transaction_threshold, "
            + "unusual_activity_alerts, alert_channels, display_currency, date_format, account_alias, account_color, "
            + "account_icon, hidden";

    private final Pool pool;

    public PreferenceRepository(Pool pool) {
        this.pool = pool;
    }

    public record Preferences(boolean balanceAlertsEnabled, BigDecimal lowBalanceThreshold,
            BigDecimal largeTransactionThreshold, boolean unusualActivityAlerts, List<String> alertChannels,
            String displayCurrency, String dateFormat, String accountAlias, String accountColor, String accountIcon,
            boolean hidden) {

        /** What a user who never chose has. */
        public static Preferences defaults() {
            return new Preferences(true, null, null, false, List.of(), null, null, null, null, null, false);
        }
    }

    /** The stored preferences of the scope ({@code accountId} null: the user's defaults), or null. */
    public Uni<Preferences> find(String userId, UUID accountId) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM bank.banking_preferences WHERE user_id = $1 "
                        + "AND account_id IS NOT DISTINCT FROM $2")
                .execute(Tuple.of(userId, accountId))
                .map(rows -> rows.iterator().hasNext() ? preferences(rows.iterator().next()) : null);
    }

    public Uni<Preferences> save(String userId, UUID accountId, Preferences preferences) {
        return pool.preparedQuery("INSERT INTO bank.banking_preferences (id, user_id, account_id, "
                        + "balance_alerts_enabled, low_balance_threshold, large_transaction_threshold, "
                        + "unusual_activity_alerts, alert_channels, display_currency, date_format, account_alias, "
                        + "account_color, account_icon, hidden) VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, "
                        + "$7, $8, $9, $10, $11, $12, $13) ON CONFLICT (user_id, account_id) DO UPDATE SET "
                        + "balance_alerts_enabled = EXCLUDED.balance_alerts_enabled, "
                        + "low_balance_threshold = EXCLUDED.low_balance_threshold, "
                        + "large_transaction_threshold = EXCLUDED.large_transaction_threshold, "
                        + "unusual_activity_alerts = EXCLUDED.unusual_activity_alerts, "
                        + "alert_channels = EXCLUDED.alert_channels, display_currency = EXCLUDED.display_currency, "
                        + "date_format = EXCLUDED.date_format, account_alias = EXCLUDED.account_alias, "
                        + "account_color = EXCLUDED.account_color, account_icon = EXCLUDED.account_icon, "
                        + "hidden = EXCLUDED.hidden, updated_at = now() RETURNING " + COLUMNS)
                .execute(Tuple.tuple().addValue(userId).addValue(accountId)
                        .addValue(preferences.balanceAlertsEnabled()).addValue(preferences.lowBalanceThreshold())
                        .addValue(preferences.largeTransactionThreshold())
                        .addValue(preferences.unusualActivityAlerts())
                        .addValue(preferences.alertChannels().toArray(String[]::new))
                        .addValue(preferences.displayCurrency()).addValue(preferences.dateFormat())
                        .addValue(preferences.accountAlias()).addValue(preferences.accountColor())
                        .addValue(preferences.accountIcon()).addValue(preferences.hidden()))
                .map(rows -> preferences(rows.iterator().next()));
    }

    private static Preferences preferences(Row row) {
        return new Preferences(row.getBoolean("balance_alerts_enabled"), row.getBigDecimal("low_balance_threshold"),
                row.getBigDecimal("large_transaction_threshold"), row.getBoolean("unusual_activity_alerts"),
                List.of(row.getArrayOfStrings("alert_channels")), row.getString("display_currency"),
                row.getString("date_format"), row.getString("account_alias"), row.getString("account_color"),
                row.getString("account_icon"), row.getBoolean("hidden"));
    }
}

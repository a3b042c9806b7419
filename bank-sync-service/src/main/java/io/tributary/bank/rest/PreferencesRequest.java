package io.tributary.bank.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tributary.bank.repository.PreferenceRepository;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

/** Banking preferences as the caller sends them; what is left out takes its default. */
public record PreferencesRequest(
        Boolean balanceAlertsEnabled,
        @Digits(integer = 15, fraction = 4) BigDecimal lowBalanceThreshold,
        @Digits(integer = 15, fraction = 4) @DecimalMin(value = "0", inclusive = false)
        BigDecimal largeTransactionThreshold,
        Boolean unusualActivityAlerts,
        @Size(max = 4) List<@NotNull Channel> alertChannels,
        @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code such as GBP") String displayCurrency,
        @Size(max = 32) String dateFormat,
        @Size(max = 80) String accountAlias,
        @Pattern(regexp = "#[0-9A-Fa-f]{6}", message = "must be a colour such as #1565C0") String accountColor,
        @Size(max = 40) String accountIcon,
        Boolean hidden) {

    public enum Channel {
        @JsonProperty("email") EMAIL,
        @JsonProperty("push") PUSH,
        @JsonProperty("sms") SMS,
        @JsonProperty("webhook") WEBHOOK
    }

    PreferenceRepository.Preferences toPreferences() {
        return new PreferenceRepository.Preferences(balanceAlertsEnabled == null || balanceAlertsEnabled,
                lowBalanceThreshold, largeTransactionThreshold, Boolean.TRUE.equals(unusualActivityAlerts),
                alertChannels == null ? List.of() : alertChannels.stream().distinct()
                        .map(channel -> channel.name().toLowerCase(Locale.ROOT)).toList(),
                displayCurrency, dateFormat, accountAlias, accountColor, accountIcon, Boolean.TRUE.equals(hidden));
    }
}

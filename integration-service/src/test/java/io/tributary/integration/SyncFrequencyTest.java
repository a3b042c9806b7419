package io.tributary.integration;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SyncFrequencyTest {

    @Test
    void shouldReadWordsAndMinutes() {
        assertThat(SyncFrequency.parse("daily")).isEqualTo(SyncFrequency.of(SyncFrequency.Kind.DAILY));
        assertThat(SyncFrequency.parse("Weekly").interval()).contains(Duration.ofDays(7));
        assertThat(SyncFrequency.parse(90)).isEqualTo(SyncFrequency.everyMinutes(90));
        assertThat(SyncFrequency.parse(90).toJson()).isEqualTo(90);
        assertThat(SyncFrequency.parse("manual").interval()).isEmpty();
        assertThat(SyncFrequency.parse("realtime").interval()).contains(Duration.ofHours(1));
    }

    @Test
    void shouldRefuseWhatIsNotAFrequency() {
        assertThatThrownBy(() -> SyncFrequency.parse("yearly")).hasMessageContaining("number of minutes");
        assertThatThrownBy(() -> SyncFrequency.parse("custom")).hasMessageContaining("number of minutes");
        assertThatThrownBy(() -> SyncFrequency.parse(4)).hasMessageContaining("between 5 and 43200");
        assertThatThrownBy(() -> SyncFrequency.parse(50_000)).hasMessageContaining("between 5 and 43200");
        assertThatThrownBy(() -> SyncFrequency.parse(7.5)).hasMessageContaining("whole number");
        assertThatThrownBy(() -> SyncFrequency.parse(true)).hasMessageContaining("number of minutes");
    }
}

package dev.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The ingest driver's pacing, on a clock the test moves by hand. */
class TokenBucketTest {
    private long now;

    @Test
    void aFullBucketGrantsItsCapacityAtOnceThenQueuesReservationsAtTheRate() {
        TokenBucket bucket = new TokenBucket(1_000, 100, () -> now);
        assertThat(bucket.reserve(100)).isZero();
        assertThat(bucket.reserve(100)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
        assertThat(bucket.reserve(100)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
    }

    @Test
    void aSenderThatWaitsAsToldSendsAtTheTargetRate() {
        TokenBucket bucket = new TokenBucket(20_000, 2_000, () -> now);
        long sent = 0;
        while (now < TimeUnit.SECONDS.toNanos(60)) {
            now += bucket.reserve(2_000); // the sender sleeps as long as it is told, then sends at once
            sent += 2_000;
        }
        // one batch of burst at the start, then exactly the rate
        assertThat(sent).isEqualTo(20_000L * 60 + 2_000);
    }

    @Test
    void aSenderThatFellBehindGetsNoMoreThanOneBucketOfCatchUp() {
        TokenBucket bucket = new TokenBucket(1_000, 100, () -> now);
        assertThat(bucket.reserve(100)).isZero();
        now += TimeUnit.SECONDS.toNanos(10); // a slow server: 10,000 tokens' worth of time passed
        assertThat(bucket.reserve(100)).isZero();
        assertThat(bucket.reserve(100)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
    }

    @Test
    void aRateOrCapacityOfNothingIsRefused() {
        assertThatThrownBy(() -> new TokenBucket(0, 10, () -> now)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rate above 0");
        assertThatThrownBy(() -> new TokenBucket(10, 0, () -> now)).isInstanceOf(IllegalArgumentException.class);
    }
}

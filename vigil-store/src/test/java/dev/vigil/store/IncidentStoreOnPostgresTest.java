package dev.vigil.store;

import static dev.vigil.store.StoreTesting.ACME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.incident.CorrelationSummary;
import dev.vigil.incident.Incident;
import dev.vigil.incident.IncidentChange;
import dev.vigil.incident.JoinReason;
import dev.vigil.incident.ResponseAction;
import dev.vigil.model.TenantId;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Every case of {@link IncidentStoreTest} again with the incidents in PostgreSQL and the alerts and events in the
 * tenant's DuckDB database, as {@code store.state: postgresql} runs them; and what splitting the two adds: the order
 * of their writes, and a run that fails between them.
 */
@DisplayName("A tenant store's incidents kept in PostgreSQL")
class IncidentStoreOnPostgresTest extends IncidentStoreTest {
    PostgresTesting.TestDatabase database;

    @Override
    TenantStore opened() {
        if (database == null) {
            database = PostgresTesting.freshState();
        }
        TenantStore opened = super.opened();
        opened.keepIncidentsIn(database.state().incidents(ACME));
        return opened;
    }

    @Override
    long placementsStored() {
        return database.state().read("counting placements", connection -> {
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT count(*) FROM vigil_incident_alerts")) {
                rows.next();
                return rows.getLong(1);
            }
        });
    }

    @AfterEach
    void dropDatabase() {
        database.close();
    }

    @Test
    void theIncidentsAreInPostgresqlAndTheAlertsStayInTheTenantsDatabase() {
        store(alert(1, "medium", 0, "host", "ws-1"), alert(2, "high", 3, "host", "ws-1"));

        assertThat(correlate().opened()).isEqualTo(1);

        assertThat(placementsStored()).isEqualTo(2);
        assertThat(StoreTesting.single(store, "SELECT count(*) FROM vigil_incidents")).isEqualTo(0L);
        assertThat(StoreTesting.single(store, "SELECT count(*) FROM vigil_incident_alerts")).isEqualTo(0L);
        assertThat(StoreTesting.single(store, "SELECT count(*) FROM vigil_alerts")).isEqualTo(2L);
        assertThat(database.state().incidents(ACME).cursor().nextNumber()).isEqualTo(2);
        assertThatThrownBy(() -> store.keepIncidentsIn(database.state().incidents(StoreTesting.GLOBEX)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the incidents of tenant 'globex' cannot be those of tenant 'acme'");
    }

    @Test
    void alertsAreDurableBeforeTheirPlacementsSoARunThatFailsBetweenThemIsPlacedByTheNext() {
        store.appendAlerts(List.of(alert(1, "medium", 0, "host", "ws-1"), alert(2, "high", 3, "host", "ws-1")));
        // not committed: correlation commits the alerts before it writes their placements
        store.keepIncidentsIn(new FailingOnce(database.state().incidents(ACME)));

        assertThatThrownBy(this::correlate).isInstanceOf(IllegalStateException.class)
                .hasMessage("the node stopped before its placements were written");
        reopen();

        assertThat(store.alertCount()).isEqualTo(2);
        assertThat(placementsStored()).isZero();
        CorrelationSummary next = correlate();
        assertThat(next.alerts()).isEqualTo(2);
        assertThat(alertIds(1)).containsExactly(alertId(1), alertId(2));
        assertThat(correlate().alerts()).isZero();
    }

    @Test
    void aDatabaseCopyBehindTheCursorIsReadAgainAndOnlyItsUnplacedAlertsArePlaced() {
        store(alert(1, "medium", 0, "host", "ws-1"), alert(2, "high", 3, "host", "ws-1"));
        correlate();
        // the tenant's database restored from a copy with fewer alerts than the cursor has seen
        database.state().transaction("moving the cursor", connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("UPDATE vigil_correlation_cursor SET alert_rowid = 1000");
            }
            return null;
        });
        store(alert(3, "high", 5, "host", "ws-1"));

        CorrelationSummary summary = correlate();

        assertThat(summary.alerts()).isEqualTo(1);
        assertThat(alertIds(1)).containsExactly(alertId(1), alertId(2), alertId(3));
        assertThat(placementsStored()).isEqualTo(3);
    }

    /** A node that stops after computing a run and before writing it, once. */
    static final class FailingOnce implements IncidentRepository {
        private final IncidentRepository delegate;
        private boolean failed;

        FailingOnce(IncidentRepository delegate) {
            this.delegate = delegate;
        }

        @Override
        public void apply(Run run) {
            if (!failed) {
                failed = true;
                throw new IllegalStateException("the node stopped before its placements were written");
            }
            delegate.apply(run);
        }

        @Override
        public TenantId tenant() {
            return delegate.tenant();
        }

        @Override
        public IncidentQuery.Matches query(IncidentQuery query) {
            return delegate.query(query);
        }

        @Override
        public Optional<Incident> find(long number) {
            return delegate.find(number);
        }

        @Override
        public OptionalLong mergedInto(long number) {
            return delegate.mergedInto(number);
        }

        @Override
        public Map<UUID, JoinReason> placements(long number) {
            return delegate.placements(number);
        }

        @Override
        public Map<UUID, Long> incidentsOf(Collection<UUID> alerts) {
            return delegate.incidentsOf(alerts);
        }

        @Override
        public List<IncidentChange> changes(long number) {
            return delegate.changes(number);
        }

        @Override
        public Map<UUID, ResponseAction> decisions(long number) {
            return delegate.decisions(number);
        }

        @Override
        public Incident update(long number, boolean severitySet,
                java.util.function.Function<Incident, dev.vigil.incident.Lifecycle.Updated> change) {
            return delegate.update(number, severitySet, change);
        }

        @Override
        public void record(ResponseAction action, IncidentChange change, Instant now) {
            delegate.record(action, change, now);
        }

        @Override
        public Cursor cursor() {
            return delegate.cursor();
        }

        @Override
        public Map<UUID, Active> activeSince(Instant horizon) {
            return delegate.activeSince(horizon);
        }
    }
}

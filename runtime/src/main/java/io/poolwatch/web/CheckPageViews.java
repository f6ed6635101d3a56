package io.poolwatch.web;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.poolwatch.checks.CheckDefinition;
import io.poolwatch.checks.CheckResult;
import io.poolwatch.checks.ConsistencyChecks;
import io.poolwatch.web.DashboardModel.CheckRow;

/** The checks page's view model: each check's definition, its last run, its history and the durations' sparkline. */
@ApplicationScoped
public class CheckPageViews {

    /** Runs of a check shown on the checks page. */
    static final int CHECK_HISTORY_SHOWN = 20;

    private final ConsistencyChecks checks;
    private final Clock clock = Clock.systemUTC();

    CheckPageViews(ConsistencyChecks checks) {
        this.checks = checks;
    }

    public List<CheckRow> checkRows(boolean withHistory) {
        List<CheckRow> rows = new ArrayList<>();
        for (CheckDefinition d : checks.definitions()) {
            rows.add(checkRow(d, withHistory ? checks.history(d.name()) : List.of()));
        }
        return rows;
    }

    CheckRow checkRow(CheckDefinition d, List<CheckResult> history) {
        Optional<CheckResult> last = checks.latest(d.name());
        List<CheckResult> shown = history.size() > CHECK_HISTORY_SHOWN ? history.subList(0, CHECK_HISTORY_SHOWN) : history;
        Sparkline durations = Sparkline.none(240, 40, clock.instant(), clock.instant());
        if (!history.isEmpty()) {
            List<CheckResult> oldestFirst = new ArrayList<>(history);
            Collections.reverse(oldestFirst);
            Instant from = oldestFirst.get(0).startedAt();
            Instant to = oldestFirst.get(oldestFirst.size() - 1).startedAt();
            durations = Sparkline.of(oldestFirst, CheckResult::startedAt, r -> r.durationSeconds() * 1000, from,
                    to.equals(from) ? from.plusSeconds(1) : to,
                    240, 40, 1, Double.NaN, null);
        }
        return new CheckRow(d.name(), d.description(), d.kind().label(), d.workload(), d.mode().label(),
                d.schedule().toString(),
                d.severity().label(), checks.running(d.name()), checks.nextRun(d.name()).map(z -> z.toInstant()).orElse(null),
                last.map(CheckResult::status).orElse("not run"), last.map(CheckResult::violations).orElse(null),
                d.allowedViolations(),
                last.map(CheckResult::finishedAt).orElse(null), last.map(CheckResult::durationSeconds).orElse(Double.NaN),
                last.map(CheckResult::message).orElse(null), shown, durations);
    }
}

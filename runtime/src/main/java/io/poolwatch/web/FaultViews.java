package io.poolwatch.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import io.poolwatch.pool.FaultPhases;
import io.poolwatch.pool.PoolRegistry;
import io.poolwatch.web.DashboardModel.FaultForm;
import io.poolwatch.web.DashboardModel.FaultRow;
import io.poolwatch.web.DashboardModel.Faults;

/** The fault phases' view model: the form and the latest phases, where the application runs them. */
@ApplicationScoped
public class FaultViews {

    /** Fault phases listed on the overview. */
    static final int FAULTS_SHOWN = 10;

    private final PoolRegistry registry;
    private final Instance<FaultPhases> faultPhases;

    FaultViews(PoolRegistry registry, Instance<FaultPhases> faultPhases) {
        this.registry = registry;
        this.faultPhases = faultPhases;
    }

    /**
     * The application's fault phases where they can run (the standalone service's simulator, on its demo database or
     * where it is enabled); empty in a host application, and in the service pointed at a real database.
     */
    public Optional<FaultPhases> faultPhases() {
        return faultPhases.isResolvable() && faultPhases.get().available() ? Optional.of(faultPhases.get()) : Optional.empty();
    }

    /** The kinds of fault the application starts, as the form and the API name them; none without fault phases. */
    public List<String> faultKinds() {
        return faultPhases().map(FaultPhases::kinds).orElse(List.of());
    }

    /** The fault form as it first shows: a leak on main (or the first pool), for the kind's default duration. */
    public FaultForm faultForm() {
        List<String> workloads = List.copyOf(registry.names());
        String workload = workloads.contains("main") || workloads.isEmpty() ? "main" : workloads.get(0);
        return new FaultForm(faultKinds(), workloads, "leak", workload, "", null);
    }

    /** A refused fault form: the values submitted, and why. */
    public FaultForm faultForm(String kind, String workload, String duration, String error) {
        return new FaultForm(faultKinds(), List.copyOf(registry.names()), kind, workload, duration, error);
    }

    /** The latest fault phases, newest first, with the form. */
    public Faults faults(FaultForm form) {
        List<FaultPhases.Fault> all = faultPhases().map(FaultPhases::faults).orElse(List.of());
        List<FaultRow> rows = new ArrayList<>();
        int running = 0;
        for (FaultPhases.Fault f : all) {
            if (f.state().equals("running")) {
                running++;
            }
            if (rows.size() < FAULTS_SHOWN) {
                rows.add(faultRow(f));
            }
        }
        return new Faults(faultPhases().isPresent(), rows, running, form);
    }

    /** The injector's state ("failed: reason") split into the word and the reason. */
    static FaultRow faultRow(FaultPhases.Fault f) {
        String state = f.state();
        String detail = "";
        int colon = state.indexOf(':');
        if (colon >= 0) {
            detail = state.substring(colon + 1).trim();
            state = state.substring(0, colon);
        }
        return new FaultRow(f.id(), f.kind(), f.workload(), f.startedAt(), f.until(), state, detail);
    }
}

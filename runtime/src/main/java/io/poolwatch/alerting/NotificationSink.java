package io.poolwatch.alerting;

import java.util.List;

/** Where grouped notifications and Alertmanager posts go to be delivered, and the receivers that take them. */
public interface NotificationSink {

    /** The webhook receivers, with the severities they take and whether they want resolutions. */
    List<NotificationDispatcher.Route> routes();

    /** The Alertmanager receivers, with the severities they take, whether they want resolutions and their resend interval. */
    default List<AlertmanagerDispatcher.Route> alertmanagerRoutes() {
        return List.of();
    }

    /**
     * Takes a notification for delivery; returns once it is durable.
     *
     * @param receiver the receiver's name
     * @param groupKey the group's key
     * @param status firing or resolved
     * @param alerts how many alerts it carries
     * @param body the Alertmanager webhook v4 JSON body
     */
    void enqueue(String receiver, String groupKey, String status, int alerts, String body);

    /**
     * Takes a post for every Alertmanager of an Alertmanager receiver; returns once it is durable for each. Each
     * supersedes the undelivered posts of the same owner to the same Alertmanager, since it carries all they did.
     *
     * @param receiver the receiver's name
     * @param owner the instance label of the alerts it carries: posts of different owners do not supersede each other
     * @param status firing or resolved
     * @param alerts how many alerts it carries
     * @param body the API v2 JSON array of postable alerts
     */
    default void enqueueAlertmanager(String receiver, String owner, String status, int alerts, String body) {
        throw new IllegalStateException("no Alertmanager receiver is configured");
    }
}

package io.poolwatch.alerting;

import java.util.List;

/** Where grouped notifications go to be delivered, and the receivers that take them. */
public interface NotificationSink {

    /** The receivers, with the severities they take and whether they want resolutions. */
    List<NotificationDispatcher.Route> routes();

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
}

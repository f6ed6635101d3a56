package io.poolwatch.simulator;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

import org.jboss.logging.Logger;

/**
 * Virtual threads where the runtime has them (Java 21+), found at run time: the code is compiled for Java 17, which
 * has no {@code Thread.ofVirtual()}.
 */
final class VirtualThreads {

    private static final Logger LOG = Logger.getLogger(VirtualThreads.class);

    private VirtualThreads() {
    }

    /**
     * An executor that starts one virtual thread per task, named {@code prefix} and a number; empty on a runtime
     * without virtual threads.
     */
    static Optional<ExecutorService> perTaskExecutor(String prefix) {
        try {
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            Class<?> builder = Class.forName("java.lang.Thread$Builder");
            Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
            Object b = lookup.findStatic(Thread.class, "ofVirtual", MethodType.methodType(ofVirtual)).invoke();
            b = lookup.findVirtual(builder, "name", MethodType.methodType(builder, String.class, long.class)).invoke(b, prefix,
                    1L);
            ThreadFactory factory = (ThreadFactory) lookup
                    .findVirtual(builder, "factory", MethodType.methodType(ThreadFactory.class)).invoke(b);
            MethodHandle perTask = lookup.findStatic(Executors.class, "newThreadPerTaskExecutor",
                    MethodType.methodType(ExecutorService.class, ThreadFactory.class));
            return Optional.of((ExecutorService) perTask.invoke(factory));
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            return Optional.empty();
        } catch (Throwable e) {
            LOG.debugf("virtual threads not usable (%s): users share worker threads", e);
            return Optional.empty();
        }
    }
}

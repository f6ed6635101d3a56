package io.poolwatch.pool;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Retention;
import java.lang.annotation.Target;

import jakarta.enterprise.util.AnnotationLiteral;
import jakarta.enterprise.util.Nonbinding;
import jakarta.inject.Qualifier;

/** Injects a workload's {@link javax.sql.DataSource}: {@code @Inject @Workload("financial") DataSource ds;} */
@Qualifier
@Retention(RUNTIME)
@Target({ FIELD, PARAMETER, METHOD })
public @interface Workload {

    /** The workload name. */
    @Nonbinding
    String value();

    /** For programmatic lookup: {@code CDI.current().select(DataSource.class, Workload.Literal.of("jobs"))}. */
    final class Literal extends AnnotationLiteral<Workload> implements Workload {
        private final String value;

        private Literal(String value) {
            this.value = value;
        }

        public static Literal of(String value) {
            return new Literal(value);
        }

        @Override
        public String value() {
            return value;
        }
    }
}

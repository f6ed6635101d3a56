package io.poolwatch.config;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import io.smallrye.config.WithParentName;

/**
 * Every key of poolwatch's configuration mappings whose value is converted to a type (a number, a duration, a strict
 * boolean, an enum), with how it is converted and its built-in value. Read from the mapping interfaces themselves:
 * {@link PoolwatchConfig} and the mappings an application lists in {@value #MAPPINGS} (the service's simulator and
 * embedded database).
 */
final class TypedKeys {

    /** One class name per line: further {@code poolwatch.*} mappings whose typed keys are checked the same way. */
    static final String MAPPINGS = "META-INF/poolwatch-config-mappings";
    private static final String MAP_KEY = "(?:\"[^\"]*\"|[^.\"]+)";

    /**
     * A typed key.
     *
     * @param name the names it matches
     * @param converter how its value is converted; throws {@link IllegalArgumentException} saying what is accepted
     * @param builtIn the value the mapping takes in place of one that cannot be converted: the key's default, or for a
     *        required key without one (a map's values) a placeholder of its type; empty for an optional key
     */
    record Key(Pattern name, Function<String, ?> converter, Optional<String> builtIn) {
    }

    private final List<Key> keys = new ArrayList<>();

    private TypedKeys() {
    }

    /** The typed keys of {@link PoolwatchConfig} and of every mapping listed in {@value #MAPPINGS}. */
    static TypedKeys discover(ClassLoader loader) {
        TypedKeys index = new TypedKeys();
        index.add(PoolwatchConfig.class);
        try {
            Enumeration<URL> lists = loader.getResources(MAPPINGS);
            while (lists.hasMoreElements()) {
                try (BufferedReader in = new BufferedReader(
                        new InputStreamReader(lists.nextElement().openStream(), StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        String name = line.trim();
                        if (!name.isEmpty() && !name.startsWith("#")) {
                            index.addListed(name, loader);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot read the configuration mappings listed in " + MAPPINGS + ": " + e.getMessage(), e);
        }
        return index;
    }

    /** A mapping an application lists; one that cannot be read here is left to SmallRye's own conversion. */
    private void addListed(String name, ClassLoader loader) {
        try {
            add(Class.forName(name, false, loader));
        } catch (ClassNotFoundException | RuntimeException | LinkageError e) {
            Logger.getLogger(TypedKeys.class).debugf("configuration mapping %s not read: %s", name, e);
        }
    }

    /** The typed keys of one mapping (for tests). */
    static TypedKeys of(Class<?>... mappings) {
        TypedKeys index = new TypedKeys();
        for (Class<?> m : mappings) {
            index.add(m);
        }
        return index;
    }

    private void add(Class<?> mapping) {
        // Annotations are read by name: a mapping listed by an application may come with SmallRye's classes from another class loader.
        Optional<Object> prefix = annotation(mapping, ConfigMapping.class, "prefix");
        if (prefix.isEmpty()) {
            throw new IllegalArgumentException(mapping.getName() + " is not a @ConfigMapping");
        }
        group(mapping, Pattern.quote((String) prefix.get()));
    }

    /** An attribute of the annotation of {@code type} on {@code element}, found by the annotation's name. */
    private static Optional<Object> annotation(AnnotatedElement element, Class<?> type, String attribute) {
        for (Annotation a : element.getAnnotations()) {
            if (a.annotationType().getName().equals(type.getName())) {
                try {
                    return Optional.ofNullable(attribute == null ? a : a.annotationType().getMethod(attribute).invoke(a));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot read @" + type.getSimpleName() + " of " + element, e);
                }
            }
        }
        return Optional.empty();
    }

    /** The key a typed {@code name} matches, if any. */
    Optional<Key> key(String name) {
        for (Key k : keys) {
            if (k.name().matcher(name).matches()) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    private void group(Class<?> type, String prefix) {
        for (Method m : type.getMethods()) {
            if (m.isDefault() || Modifier.isStatic(m.getModifiers()) || m.getParameterCount() > 0
                    || m.getDeclaringClass() == Object.class) {
                continue;
            }
            String key = annotation(m, WithParentName.class, null).isPresent() ? prefix
                    : prefix + "\\." + Pattern
                            .quote(annotation(m, WithName.class, "value").map(String.class::cast).orElse(kebab(m.getName())));
            member(m, m.getGenericReturnType(), key);
        }
    }

    private void member(Method m, Type type, String key) {
        member(m, type, key, false);
    }

    private void member(Method m, Type type, String key, boolean optional) {
        Class<?> raw = rawClass(type);
        if (raw == Optional.class) {
            member(m, argument(type, 0), key, true);
        } else if (Map.class.isAssignableFrom(raw)) {
            member(m, argument(type, 1), key + "\\." + MAP_KEY, false);
        } else if (Collection.class.isAssignableFrom(raw) || raw == String.class) {
            return; // strings, and lists of them, are never refused by conversion
        } else if (raw.isInterface() && raw.getPackageName().startsWith("io.poolwatch")) {
            group(raw, key);
        } else {
            Function<String, ?> converter = converter(m, raw);
            if (converter != null) {
                Optional<String> builtIn = annotation(m, WithDefault.class, "value").map(String.class::cast);
                if (builtIn.isEmpty() && !optional) {
                    // Start-up is refused whenever a value is replaced, so the placeholder is never used.
                    builtIn = Optional.of(placeholder(raw));
                }
                keys.add(new Key(Pattern.compile(key), converter, builtIn));
            }
        }
    }

    @SuppressWarnings({ "rawtypes", "unchecked" })
    private static Function<String, ?> converter(Method m, Class<?> type) {
        Optional<Object> with = annotation(m, WithConverter.class, "value");
        if (with.isPresent()) {
            Class<?> type2 = (Class<?>) with.get();
            try {
                Object c = type2.getDeclaredConstructor().newInstance();
                Method convert = type2.getMethod("convert", String.class);
                return v -> {
                    try {
                        return convert.invoke(c, v);
                    } catch (InvocationTargetException e) {
                        if (e.getCause() instanceof RuntimeException r) {
                            throw r instanceof IllegalArgumentException ? r : new IllegalArgumentException(r.getMessage(), r);
                        }
                        throw new IllegalStateException(e.getCause());
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                };
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot create " + type2.getName(), e);
            }
        }
        if (type == Integer.class || type == int.class) {
            return Converters::parseInt;
        }
        if (type == Long.class || type == long.class) {
            return v -> {
                try {
                    return Long.parseLong(v.trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + v + "' is not a whole number; accepted: an integer such as 20");
                }
            };
        }
        if (type == Double.class || type == double.class) {
            return v -> {
                try {
                    return Double.parseDouble(v.trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + v + "' is not a number; accepted: a number such as 0.05");
                }
            };
        }
        if (type == Duration.class) {
            return Durations::parse;
        }
        if (type.isEnum()) {
            Class<? extends Enum> e = (Class<? extends Enum>) type;
            return v -> {
                String wanted = v.trim().replace('-', '_');
                for (Enum<?> constant : e.getEnumConstants()) {
                    if (constant.name().equalsIgnoreCase(wanted)) {
                        return constant;
                    }
                }
                List<String> accepted = new ArrayList<>();
                for (Enum<?> constant : e.getEnumConstants()) {
                    accepted.add(constant.name().toLowerCase(Locale.ROOT).replace('_', '-'));
                }
                throw new IllegalArgumentException(
                        "'" + v + "' is not one of the accepted values; accepted: " + String.join(", ", accepted));
            };
        }
        // Booleans without a strict converter take any word (SmallRye's rule), so nothing is refused.
        return null;
    }

    /** A value every converter of {@code type} takes. */
    private static String placeholder(Class<?> type) {
        if (type.isEnum()) {
            return ((Enum<?>) type.getEnumConstants()[0]).name();
        }
        if (type == Duration.class) {
            return "0s";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "false";
        }
        return "0";
    }

    private static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        return Object.class;
    }

    private static Type argument(Type type, int i) {
        return type instanceof ParameterizedType p ? p.getActualTypeArguments()[i] : Object.class;
    }

    /** {@code maxSize} becomes {@code max-size}, as SmallRye names a mapping's methods. */
    static String kebab(String method) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < method.length(); i++) {
            char c = method.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0) {
                    b.append('-');
                }
                b.append(Character.toLowerCase(c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}

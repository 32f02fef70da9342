package io.statuspolicy.cli;

import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * picocli command models written in code instead of read from annotations, for the commands
 * whose start-up counts ({@code request}, {@code table} and the top level). Reading picocli's
 * annotations costs the JVM its annotation parser and a generated proxy class per annotation
 * type, none of which any class cache keeps: about 25 ms of each run (issue 13). The models are
 * the ones the annotations gave, field for field; {@code demo} and {@code explain} keep theirs.
 */
final class Specs {
    private Specs() {
    }

    /** A command named {@code name} that runs {@code command}, with {@code -h} and {@code -V} last. */
    static CommandSpec command(Object command, String name) {
        CommandSpec spec = CommandSpec.wrapWithoutInspection(command);
        spec.name(name);
        return spec;
    }

    /** The standard {@code -h, --help} and {@code -V, --version} (what {@code mixinStandardHelpOptions} adds). */
    static void addHelpOptions(CommandSpec spec) {
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
                .description("Show this help message and exit.").build());
        spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true)
                .description("Print version information and exit.").build());
    }

    /** An option that sets {@code field} of {@code target}, typed as the field is. */
    static OptionSpec.Builder option(Object target, String field, String... names) {
        FieldBinding binding = FieldBinding.of(target, field);
        OptionSpec.Builder option = OptionSpec.builder(names).getter(binding).setter(binding).type(binding.type())
                .initialValue(binding.initialValue()).hasInitialValue(true);
        if (binding.elementType() != null) {
            option.auxiliaryTypes(binding.elementType());
        }
        return option;
    }

    /** A positional parameter that sets {@code field} of {@code target}. */
    static PositionalParamSpec.Builder positional(Object target, String field) {
        FieldBinding binding = FieldBinding.of(target, field);
        return PositionalParamSpec.builder().getter(binding).setter(binding).type(binding.type())
                .initialValue(binding.initialValue()).hasInitialValue(true);
    }

    /** A field of a command object as picocli's getter and setter (what an annotation on it binds). */
    static final class FieldBinding implements IGetter, ISetter {
        private final Object target;
        private final Field field;

        private FieldBinding(Object target, Field field) {
            this.target = target;
            this.field = field;
        }

        static FieldBinding of(Object target, String name) {
            try {
                return new FieldBinding(target, target.getClass().getDeclaredField(name));
            } catch (NoSuchFieldException e) {
                throw new IllegalArgumentException(target.getClass().getSimpleName() + " has no field " + name, e);
            }
        }

        /** The field's value now, which picocli restores before each parse (as for an annotated field). */
        Object initialValue() {
            try {
                return field.get(target);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }

        Class<?> type() {
            return field.getType();
        }

        /** The element class of a {@code List<E>} field, else null. */
        Class<?> elementType() {
            if (field.getType() != List.class || !(field.getGenericType() instanceof ParameterizedType list)) {
                return null;
            }
            return (Class<?>) list.getActualTypeArguments()[0];
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T get() throws IllegalAccessException {
            return (T) field.get(target);
        }

        @Override
        public <T> T set(T value) throws IllegalAccessException {
            T old = get();
            field.set(target, value);
            return old;
        }
    }
}

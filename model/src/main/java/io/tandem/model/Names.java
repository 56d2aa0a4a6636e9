package io.tandem.model;

import java.util.Objects;

/**
 * The lexical rules shared by resources and attributes, so that every value prints back as it parses.
 * Checked by hand rather than with regular expressions: every {@link Resource} built checks its name and
 * role, and the allocator builds many.
 */
final class Names {
    static final String UNRESERVED = "*";

    private Names() {}

    static String requireName(String name) {
        Objects.requireNonNull(name, "name");
        if (!matches(name, "_./-")) {
            throw new IllegalArgumentException("invalid name '" + name
                    + "' (letters, digits, '_', '.', '/' and '-'; not empty)");
        }
        return name;
    }

    /** {@code "*"} (unreserved) or a role path such as {@code "prod"} or {@code "eng/prod"}. */
    static String requireRole(String role) {
        Objects.requireNonNull(role, "role");
        if (role.equals(UNRESERVED)) {
            return role;
        }
        int start = 0;
        while (true) {
            int slash = role.indexOf('/', start);
            int end = slash < 0 ? role.length() : slash;
            if (!isRoleSegment(role, start, end)) {
                throw new IllegalArgumentException("invalid role '" + role
                        + "' (\"*\" or names of letters, digits, '_', '.', '-' separated by '/')");
            }
            if (slash < 0) {
                return role;
            }
            start = slash + 1;
        }
    }

    static String requireItem(String item) {
        Objects.requireNonNull(item, "item");
        if (item.isEmpty() || !matches(item, 0, item.length(), "_./:-")) {
            throw new IllegalArgumentException("invalid item '" + item
                    + "' (letters, digits, '_', '.', '/', ':' and '-'; not empty)");
        }
        return item;
    }

    /** True if {@code role} is {@code ancestor} or lies below it ("eng/prod" is below "eng"). */
    static boolean isWithin(String role, String ancestor) {
        return role.equals(ancestor) || (role.length() > ancestor.length() && role.charAt(ancestor.length()) == '/'
                && role.startsWith(ancestor));
    }

    /** {@code [A-Za-z0-9_][A-Za-z0-9_<extra>]*}: a letter, digit or '_' first, then also the extra characters. */
    private static boolean matches(String text, String extra) {
        return !text.isEmpty() && isWordChar(text.charAt(0)) && matches(text, 1, text.length(), extra);
    }

    /** {@code [A-Za-z0-9_][A-Za-z0-9_.-]*}, and neither "." nor "..". */
    private static boolean isRoleSegment(String role, int start, int end) {
        return end > start && isWordChar(role.charAt(start)) && matches(role, start + 1, end, "_.-");
    }

    private static boolean matches(String text, int from, int to, String extra) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (!isWordChar(c) && extra.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isWordChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }
}

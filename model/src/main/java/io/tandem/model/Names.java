package io.tandem.model;

import java.util.Objects;
import java.util.regex.Pattern;

/** The lexical rules shared by resources and attributes, so that every value prints back as it parses. */
final class Names {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_./-]*");
    private static final Pattern ROLE_SEGMENT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");
    private static final Pattern ITEM = Pattern.compile("[A-Za-z0-9_./:-]+");
    static final String UNRESERVED = "*";

    private Names() {}

    static String requireName(String name) {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
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
        for (String segment : role.split("/", -1)) {
            if (!ROLE_SEGMENT.matcher(segment).matches() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("invalid role '" + role
                        + "' (\"*\" or names of letters, digits, '_', '.', '-' separated by '/')");
            }
        }
        return role;
    }

    static String requireItem(String item) {
        Objects.requireNonNull(item, "item");
        if (!ITEM.matcher(item).matches()) {
            throw new IllegalArgumentException("invalid item '" + item
                    + "' (letters, digits, '_', '.', '/', ':' and '-'; not empty)");
        }
        return item;
    }

    /** True if {@code role} is {@code ancestor} or lies below it ("eng/prod" is below "eng"). */
    static boolean isWithin(String role, String ancestor) {
        return role.equals(ancestor) || role.startsWith(ancestor + "/");
    }
}

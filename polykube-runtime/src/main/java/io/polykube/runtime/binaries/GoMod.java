package io.polykube.runtime.binaries;

import java.util.ArrayList;
import java.util.List;

/**
 * The parts of a {@code go.mod} file the builder needs: module path, {@code go} and
 * {@code godebug} lines, and requirements. Not a full parser: enough for the go.mod files of
 * Kubernetes and etcd (blocks, single lines, {@code //} comments).
 */
record GoMod(String module, String goVersion, List<String> godebug, List<Requirement> requires) {

    record Requirement(String path, String version) {
    }

    GoMod {
        godebug = List.copyOf(godebug);
        requires = List.copyOf(requires);
    }

    static GoMod parse(String text) {
        String module = null;
        String go = null;
        List<String> godebug = new ArrayList<>();
        List<Requirement> requires = new ArrayList<>();
        String block = null;
        for (String raw : text.split("\n")) {
            String line = stripComment(raw).trim();
            if (line.isEmpty()) {
                continue;
            }
            if (block != null) {
                if (line.equals(")")) {
                    block = null;
                } else {
                    addDirective(block, line, godebug, requires);
                }
                continue;
            }
            String[] parts = line.split("\\s+", 2);
            String verb = parts[0];
            String rest = parts.length > 1 ? parts[1].trim() : "";
            if (rest.equals("(")) {
                block = verb;
            } else if (verb.equals("module")) {
                module = unquote(rest);
            } else if (verb.equals("go")) {
                go = rest;
            } else {
                addDirective(verb, rest, godebug, requires);
            }
        }
        if (module == null) {
            throw new BinaryException("not a go.mod file: no module line");
        }
        return new GoMod(module, go, godebug, requires);
    }

    private static void addDirective(String verb, String rest, List<String> godebug, List<Requirement> requires) {
        if (verb.equals("godebug")) {
            godebug.add(rest);
        } else if (verb.equals("require")) {
            String[] f = rest.split("\\s+");
            if (f.length < 2) {
                throw new BinaryException("malformed require line in go.mod: '" + rest + "'");
            }
            requires.add(new Requirement(unquote(f[0]), f[1]));
        }
    }

    /** Requirements whose path starts with {@code prefix}, in file order. */
    List<Requirement> requirementsStartingWith(String prefix) {
        return requires.stream().filter(r -> r.path().startsWith(prefix)).toList();
    }

    private static String stripComment(String line) {
        int i = line.indexOf("//");
        return i < 0 ? line : line.substring(0, i);
    }

    private static String unquote(String s) {
        return s.length() >= 2 && (s.startsWith("\"") || s.startsWith("`")) ? s.substring(1, s.length() - 1) : s;
    }

    /** Compares Go versions like {@code 1.24.0}, {@code 1.26}, {@code 1.26rc1} numerically by release. */
    static int compareGoVersions(String a, String b) {
        int[] x = goVersionNumbers(a);
        int[] y = goVersionNumbers(b);
        for (int i = 0; i < 3; i++) {
            if (x[i] != y[i]) {
                return Integer.compare(x[i], y[i]);
            }
        }
        return 0;
    }

    private static int[] goVersionNumbers(String v) {
        String s = v.startsWith("go") ? v.substring(2) : v;
        int[] n = new int[3];
        String[] parts = s.split("\\.");
        for (int i = 0; i < Math.min(3, parts.length); i++) {
            String digits = parts[i].replaceAll("[^0-9].*$", "");
            n[i] = digits.isEmpty() ? 0 : Integer.parseInt(digits);
        }
        return n;
    }
}

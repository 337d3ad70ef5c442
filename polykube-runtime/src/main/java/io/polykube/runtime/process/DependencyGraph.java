package io.polykube.runtime.process;

import io.polykube.runtime.ProcessException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Validates a dependency graph and orders it in levels (level n depends only on levels < n). */
final class DependencyGraph {
    private DependencyGraph() {
    }

    /**
     * @param dependencies name -> names it depends on, in a stable order
     * @return levels: processes of a level can start in parallel once the previous levels are ready
     * @throws ProcessException for an unknown dependency or a cycle (naming the cycle)
     */
    static List<List<String>> levels(Map<String, Set<String>> dependencies) {
        for (Map.Entry<String, Set<String>> e : dependencies.entrySet()) {
            for (String dep : e.getValue()) {
                if (!dependencies.containsKey(dep)) {
                    throw new ProcessException("Process '" + e.getKey() + "' depends on '" + dep
                            + "', which is not among the processes " + new TreeSet<>(dependencies.keySet())
                            + "; add a ProcessSpec named '" + dep + "' or remove the dependency");
                }
            }
        }
        Map<String, Integer> level = new HashMap<>();
        for (String name : dependencies.keySet()) {
            depth(name, dependencies, level, new LinkedHashMap<>());
        }
        List<List<String>> levels = new ArrayList<>();
        for (String name : dependencies.keySet()) {
            int l = level.get(name);
            while (levels.size() <= l) {
                levels.add(new ArrayList<>());
            }
            levels.get(l).add(name);
        }
        return levels.stream().map(List::copyOf).toList();
    }

    private static int depth(String name, Map<String, Set<String>> deps, Map<String, Integer> level,
                             LinkedHashMap<String, Boolean> path) {
        Integer known = level.get(name);
        if (known != null) {
            return known;
        }
        if (path.containsKey(name)) {
            List<String> cycle = new ArrayList<>();
            boolean in = false;
            for (String p : path.keySet()) {
                in |= p.equals(name);
                if (in) {
                    cycle.add(p);
                }
            }
            cycle.add(name);
            throw new ProcessException("Dependency cycle: " + String.join(" -> ", cycle)
                    + "; remove one of these dependsOn entries");
        }
        path.put(name, Boolean.TRUE);
        int d = 0;
        for (String dep : deps.get(name)) {
            d = Math.max(d, depth(dep, deps, level, path) + 1);
        }
        path.remove(name);
        level.put(name, d);
        return d;
    }
}

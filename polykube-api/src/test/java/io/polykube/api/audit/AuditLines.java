package io.polykube.api.audit;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** Audit log lines as kube-apiserver writes them ({@code --audit-log-format=json}), for tests and the benchmark. */
public final class AuditLines {
    private AuditLines() {
    }

    /** One {@code ResponseComplete} event at level Metadata, with a newline. */
    public static String line(long id, String user, List<String> groups, String verb, String resource, String subresource,
            String namespace, String name, int code) {
        String micros = String.format("%06d", id % 1_000_000);
        String uri = "/api/v1/" + (namespace.isEmpty() ? "" : "namespaces/" + namespace + "/") + resource;
        return "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"Metadata\",\"auditID\":\"id-" + id
                + "\",\"stage\":\"ResponseComplete\",\"requestURI\":\"" + uri + "\",\"verb\":\"" + verb
                + "\",\"user\":{\"username\":\"" + user + "\",\"groups\":["
                + groups.stream().map(g -> "\"" + g + "\"").collect(Collectors.joining(","))
                + "]},\"sourceIPs\":[\"127.0.0.1\"],\"userAgent\":\"bench/1.0\",\"objectRef\":{\"resource\":\"" + resource + "\""
                + (namespace.isEmpty() ? "" : ",\"namespace\":\"" + namespace + "\"")
                + (name.isEmpty() ? "" : ",\"name\":\"" + name + "\"")
                + ",\"apiVersion\":\"v1\"" + (subresource.isEmpty() ? "" : ",\"subresource\":\"" + subresource + "\"")
                + "},\"responseStatus\":{\"metadata\":{},\"code\":" + code + "},\"requestReceivedTimestamp\":\"2026-12-02T17:00:00."
                + micros + "Z\",\"stageTimestamp\":\"2026-12-02T17:00:01." + micros + "Z\",\"annotations\":"
                + "{\"authorization.k8s.io/decision\":\"allow\",\"authorization.k8s.io/reason\":\"\"}}\n";
    }

    /** Appends {@code count} events of several users, verbs and namespaces to {@code file}. */
    public static void write(Path file, int count) throws IOException {
        String[] verbs = {"get", "list", "watch", "create", "update", "patch", "delete"};
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND)) {
            for (int i = 0; i < count; i++) {
                out.write(line(i, "user-" + (i % 7), List.of("system:authenticated"), verbs[i % verbs.length], "configmaps", "",
                        "ns-" + (i % 13), "cm-" + i, 200));
            }
        }
    }
}

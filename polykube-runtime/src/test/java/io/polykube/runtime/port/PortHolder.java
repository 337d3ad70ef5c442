package io.polykube.runtime.port;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Child JVM for {@link PortAllocatorIT}: reserves ports, prints them, holds them until stdin closes. */
public final class PortHolder {
    private PortHolder() {
    }

    public static void main(String[] args) throws Exception {
        PortAllocator allocator = PortAllocator.builder().lockDirectory(Path.of(args[0]))
                .range(Integer.parseInt(args[2]), Integer.parseInt(args[3])).build();
        int count = Integer.parseInt(args[1]);
        List<ReservedPort> held = new ArrayList<>();
        StringBuilder line = new StringBuilder("PORTS");
        for (int i = 0; i < count; i++) {
            ReservedPort port = allocator.allocate();
            held.add(port);
            line.append(' ').append(port.port());
        }
        System.out.println(line);
        System.out.flush();
        while (System.in.read() >= 0) {
            // hold the reservations until the parent closes our stdin
        }
        held.forEach(ReservedPort::close);
    }
}

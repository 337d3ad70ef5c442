package io.polykube.api.internal.node;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One DNS question over UDP (RFC 1035), reading only the answer's header: enough to know whether a server answers a name,
 * without a resolver library. Each question uses a new socket, so a stale conntrack entry of an earlier one cannot catch it.
 */
final class DnsQuery {
    static final int NOERROR = 0;
    static final int NXDOMAIN = 3;
    static final int REFUSED = 5;
    private static final int TYPE_A = 1;
    private static final int CLASS_IN = 1;

    /** The answer's response code ({@link #NOERROR}, {@link #NXDOMAIN}, ...) and number of answer records. */
    record Answer(int rcode, int answers) {
        @Override
        public String toString() {
            return "rcode " + switch (rcode) {
                case NOERROR -> "NOERROR";
                case NXDOMAIN -> "NXDOMAIN";
                case REFUSED -> "REFUSED";
                default -> Integer.toString(rcode);
            } + ", " + answers + " answer(s)";
        }
    }

    private DnsQuery() {
    }

    /**
     * Asks {@code server}:53 for the A records of {@code name}.
     *
     * @throws IOException if no answer comes within {@code timeout}, or the port is unreachable
     */
    static Answer askA(InetAddress server, String name, Duration timeout) throws IOException {
        int id = ThreadLocalRandom.current().nextInt(1 << 16);
        byte[] query = encode(id, name);
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
            socket.connect(new InetSocketAddress(server, 53));
            socket.send(new DatagramPacket(query, query.length));
            byte[] buffer = new byte[1500];
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                if (packet.getLength() >= 12 && ((buffer[0] & 0xff) << 8 | buffer[1] & 0xff) == id && (buffer[2] & 0x80) != 0) {
                    return new Answer(buffer[3] & 0x0f, (buffer[6] & 0xff) << 8 | buffer[7] & 0xff);
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("no answer to query " + id + " from " + server.getHostAddress());
                }
            }
        }
    }

    static byte[] encode(int id, String name) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) (id >> 8), (byte) id, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0}); // RD, one question
        for (String label : name.split("\\.")) {
            if (label.isEmpty()) {
                continue;
            }
            byte[] bytes = label.getBytes(StandardCharsets.US_ASCII);
            if (bytes.length > 63) {
                throw new IllegalArgumentException("DNS label '" + label + "' is longer than 63 characters");
            }
            out.write(bytes.length);
            out.writeBytes(bytes);
        }
        out.write(0);
        out.writeBytes(new byte[] {0, TYPE_A, 0, CLASS_IN});
        return out.toByteArray();
    }
}

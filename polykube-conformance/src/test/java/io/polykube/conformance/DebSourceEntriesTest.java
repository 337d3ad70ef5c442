package io.polykube.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DebSourceEntriesTest {

    @Test
    void oneLineDebEntriesBecomeDebSrcWithTheirOptionsAndTheRestIsLeftOut() {
        String list = """
                # the archive
                deb [signed-by=/usr/share/keyrings/k.gpg] http://archive.example/debian stable main contrib
                deb-src http://archive.example/debian stable main
                  deb\thttp://archive.example/security stable-security main

                debian http://not.an.entry/ x y
                """;
        assertThat(DebSourceEntries.fromOneLine(list)).isEqualTo("""
                deb-src [signed-by=/usr/share/keyrings/k.gpg] http://archive.example/debian stable main contrib
                deb-src\thttp://archive.example/security stable-security main
                """);
        assertThat(DebSourceEntries.fromOneLine("# nothing\n")).isEmpty();
    }

    @Test
    void deb822StanzasWithDebBecomeDebSrcKeepingEveryOtherFieldAndDisabledOnesAreLeftOut() {
        String sources = """
                Types: deb
                # a snapshot
                URIs: http://archive.example/debian
                Suites: stable stable-updates
                Components: main
                Signed-By: /usr/share/keyrings/k.gpg

                Types: deb-src
                URIs: http://archive.example/only-sources
                Suites: stable
                Components: main

                types: deb deb-src
                URIs: http://archive.example/security
                Suites: stable-security
                Components: main
                Signed-By:
                 -----BEGIN PGP PUBLIC KEY BLOCK-----
                 .
                 -----END PGP PUBLIC KEY BLOCK-----

                Types: deb
                URIs: http://archive.example/off
                Suites: stable
                Components: main
                Enabled: no
                """;
        assertThat(DebSourceEntries.fromDeb822(sources)).isEqualTo("""
                Types: deb-src
                URIs: http://archive.example/debian
                Suites: stable stable-updates
                Components: main
                Signed-By: /usr/share/keyrings/k.gpg

                Types: deb-src
                URIs: http://archive.example/security
                Suites: stable-security
                Components: main
                Signed-By:
                 -----BEGIN PGP PUBLIC KEY BLOCK-----
                 .
                 -----END PGP PUBLIC KEY BLOCK-----
                """);
        assertThat(DebSourceEntries.fromDeb822("Types: deb-src\nURIs: http://archive.example/x\n")).isEmpty();
    }
}

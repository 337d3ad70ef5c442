package io.polykube.runtime.binaries;

/**
 * An executable of a {@link BinarySet}: its file name in the set's directory and how it tells its version. The library's
 * binaries are {@link ClusterBinary}.
 */
public interface Binary {

    /** The executable's file name, e.g. {@code kube-apiserver}. */
    String fileName();

    /** The set this binary is built, downloaded and cached with. */
    BinarySet set();

    /** How to ask this binary its version. */
    VersionQuery versionQuery();
}

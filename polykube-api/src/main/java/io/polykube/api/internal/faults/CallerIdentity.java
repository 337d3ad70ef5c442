package io.polykube.api.internal.faults;

import io.vertx.core.http.HttpServerRequest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;

/** Who a client is, as the API server would read it from its client certificate: CN the user, each O a group. */
record CallerIdentity(String user, List<String> groups) {
    static final CallerIdentity NONE = new CallerIdentity("", List.of());

    boolean known() {
        return !user.isEmpty();
    }

    /** The verified client certificate's identity (the server checked it against the cluster CA), or {@link #NONE}. */
    static CallerIdentity of(HttpServerRequest request) {
        if (!request.isSSL()) {
            return NONE;
        }
        try {
            List<Certificate> chain = request.connection().peerCertificates();
            if (chain == null || chain.isEmpty() || !(chain.get(0) instanceof X509Certificate leaf)) {
                return NONE;
            }
            return fromSubject(leaf.getSubjectX500Principal().getName());
        } catch (SSLPeerUnverifiedException e) {
            return NONE;
        }
    }

    static CallerIdentity fromSubject(String rfc2253) {
        try {
            String user = "";
            List<String> groups = new ArrayList<>();
            for (Rdn rdn : new LdapName(rfc2253).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    user = String.valueOf(rdn.getValue());
                } else if (rdn.getType().equalsIgnoreCase("O")) {
                    groups.add(String.valueOf(rdn.getValue()));
                }
            }
            return user.isEmpty() ? NONE : new CallerIdentity(user, List.copyOf(groups));
        } catch (InvalidNameException e) {
            return NONE;
        }
    }
}

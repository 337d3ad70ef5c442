package io.polykube.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The POMs are ready to publish: every module either is in {@code polykube-bom} or says it is not published, and every
 * jar names its module ({@code Automatic-Module-Name}) after its packages.
 */
class PublishingTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void everyPublishedModuleIsInTheBomAndNoOtherIs() throws Exception {
        List<String> bom = new ArrayList<>();
        NodeList managed = pom("polykube-bom").getElementsByTagName("artifactId");
        for (int i = 0; i < managed.getLength(); i++) {
            if (managed.item(i).getParentNode().getNodeName().equals("dependency")) {
                bom.add(managed.item(i).getTextContent().strip());
            }
        }
        List<String> published = new ArrayList<>();
        for (String module : modules()) {
            Document pom = pom(module);
            if (!module.equals("polykube-bom") && !"true".equals(property(pom, "maven.deploy.skip"))) {
                published.add(module);
            }
        }
        assertThat(bom).as("polykube-bom's modules (modules without maven.deploy.skip=true are published)")
                .containsExactlyInAnyOrderElementsOf(published);
    }

    @Test
    void everyJarNamesItsModuleAfterItsPackages() throws Exception {
        Map<String, String> names = new HashMap<>();
        for (String module : modules()) {
            Document pom = pom(module);
            if ("pom".equals(child(pom.getDocumentElement(), "packaging"))) {
                continue;
            }
            String name = property(pom, "polykube.module.name");
            assertThat(name).as(module + "'s polykube.module.name (its Automatic-Module-Name)")
                    .isEqualTo("io.polykube." + module.replaceFirst("^polykube-", "").replace('-', '.'));
            assertThat(Files.isDirectory(ROOT.resolve(module).resolve("src/main/java/" + name.replace('.', '/')))
                    || !Files.isDirectory(ROOT.resolve(module).resolve("src/main/java")))
                    .as(module + "'s classes live in " + name).isTrue();
            assertThat(names.put(name, module)).as("the module name " + name + " is used once").isNull();
        }
    }

    private static List<String> modules() throws Exception {
        List<String> modules = new ArrayList<>();
        NodeList list = pom(".").getElementsByTagName("module");
        for (int i = 0; i < list.getLength(); i++) {
            modules.add(list.item(i).getTextContent().strip());
        }
        assertThat(modules).contains("polykube-bom", "polykube-api");
        return modules;
    }

    private static Document pom(String module) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(ROOT.resolve(module).resolve("pom.xml").toFile());
    }

    private static String property(Document pom, String name) {
        Element properties = childElement(pom.getDocumentElement(), "properties");
        return properties == null ? null : child(properties, name);
    }

    private static String child(Element parent, String name) {
        Element child = childElement(parent, name);
        return child == null ? null : child.getTextContent().strip();
    }

    private static Element childElement(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }
}

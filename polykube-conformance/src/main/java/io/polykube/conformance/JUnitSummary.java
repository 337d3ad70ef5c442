package io.polykube.conformance;

import io.polykube.api.PolykubeException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * The counts of a Ginkgo JUnit report: specs passed, failed and skipped (skipped includes specs the focus left out), and
 * the names of the failed ones. Suite-level nodes ({@code [BeforeSuite]}, {@code [SynchronizedAfterSuite]}, ...) are
 * counted apart, as {@code suiteFailures} when they failed.
 */
public record JUnitSummary(int passed, int failed, int skipped, List<String> failedTests, int suiteFailures) {
    private static final Pattern SUITE_NODE = Pattern.compile("\\[(?:Synchronized)?(?:Before|After|ReportBefore|ReportAfter)Suite\\].*");

    public JUnitSummary {
        failedTests = List.copyOf(failedTests);
    }

    /** Parses the report file. */
    public static JUnitSummary parse(Path report) {
        try (InputStream in = Files.newInputStream(report)) {
            return parse(in, report.toString());
        } catch (IOException e) {
            throw new PolykubeException("cannot read the JUnit report " + report + ": " + e.getMessage(), e);
        }
    }

    static JUnitSummary parse(InputStream in, String origin) {
        Document doc;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            doc = f.newDocumentBuilder().parse(in);
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new PolykubeException("the JUnit report " + origin + " is not valid XML: " + e.getMessage(), e);
        }
        int passed = 0;
        int failed = 0;
        int skipped = 0;
        int suiteFailures = 0;
        List<String> failedTests = new ArrayList<>();
        NodeList cases = doc.getElementsByTagName("testcase");
        for (int i = 0; i < cases.getLength(); i++) {
            Element testCase = (Element) cases.item(i);
            String name = testCase.getAttribute("name");
            boolean failure = testCase.getElementsByTagName("failure").getLength() > 0
                    || testCase.getElementsByTagName("error").getLength() > 0;
            boolean skip = testCase.getElementsByTagName("skipped").getLength() > 0;
            if (SUITE_NODE.matcher(name).matches()) {
                suiteFailures += failure ? 1 : 0;
            } else if (failure) {
                failed++;
                failedTests.add(name);
            } else if (skip) {
                skipped++;
            } else {
                passed++;
            }
        }
        return new JUnitSummary(passed, failed, skipped, failedTests, suiteFailures);
    }

    /** {@code passed 5, failed 0, skipped 7120}. */
    @Override
    public String toString() {
        return "passed " + passed + ", failed " + failed + ", skipped " + skipped
                + (suiteFailures > 0 ? ", suite setup/teardown failures " + suiteFailures : "");
    }
}

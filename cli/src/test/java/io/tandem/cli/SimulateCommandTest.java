package io.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import picocli.CommandLine;

class SimulateCommandTest {
    private static final Path SCENARIOS = Path.of("src/main/resources/scenarios");
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path dir;

    private int simulate(String... args) {
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 1];
        all[0] = "simulate";
        System.arraycopy(args, 0, all, 1, args.length);
        return commandLine.execute(all);
    }

    @Test
    void maxMinExampleComesOutAsTheArticleSays() {
        int exit = simulate(SCENARIOS.resolve("maxmin.yaml").toString());

        assertThat(exit).isZero();
        assertThat(out.toString()).contains(
                "policy mmf (max-min fairness over cpus); cluster cpus:100 on 1 agent(s); 4 framework(s)\n"
                + "allocation round 1:\n"
                + "  A (role *): 65 task(s), cpus:32.5 on a1\n"
                + "  B (role *): 20 task(s), cpus:10 on a1\n"
                + "  C (role *): 50 task(s), cpus:25 on a1\n"
                + "  D (role *): 65 task(s), cpus:32.5 on a1\n"
                + "allocation round 2: nothing more to grant\n"
                + "max-min fairness over cpus, capacity 100; declared demands A 35, B 10, C 25, D 45:\n"
                + "  round 1: 25 each to A, B, C, D; B keeps 10; 15 left over\n"
                + "  round 2: 7.5 each to A, D; 0 left over\n"
                + "final allocation:\n");
        assertThat(out.toString().lines()).contains(
                "FRAMEWORK  ROLE  TASKS  RESOURCES  CPUS (FAIR SHARE)  UNMET DEMAND",
                "B          *     20     cpus:10    10                 -",
                "C          *     50     cpus:25    25                 -");
        assertThat(out.toString().lines()).anyMatch(l -> l.startsWith(
                "A          *     65     cpus:32.5  32.5               5 x cpus:0.5: none of the tasks"));
        assertThat(out.toString().lines()).anyMatch(l -> l.startsWith(
                "D          *     65     cpus:32.5  32.5               25 x cpus:0.5: none of the tasks"));
        assertThat(out.toString()).doesNotContain("differs from plain water-filling");
    }

    @Test
    void drfExampleRunsThreeTasksOfAAndTwoOfBAtDominantSharesOfTwoThirds() {
        int exit = simulate(SCENARIOS.resolve("drf.yaml").toString());

        assertThat(exit).isZero();
        assertThat(out.toString()).contains(
                "policy drf (dominant resource fairness); cluster cpus:18;mem:36864 on 1 agent(s); 2 framework(s)\n"
                + "allocation round 1:\n"
                + "  A (role *): 3 task(s), cpus:6;mem:24576 on a1\n"
                + "  B (role *): 2 task(s), cpus:12;mem:4096 on a1\n"
                + "allocation round 2: nothing more to grant\n"
                + "final allocation:\n"
                + "FRAMEWORK  ROLE  TASKS  RESOURCES         DOMINANT SHARE  UNMET DEMAND\n");
        assertThat(out.toString().lines()).anyMatch(l -> l.startsWith(
                "A          *     3      cpus:6;mem:24576  2/3 of mem      7 x cpus:2;mem:8192: "));
        assertThat(out.toString().lines()).anyMatch(l -> l.startsWith(
                "B          *     2      cpus:12;mem:4096  2/3 of cpus     8 x cpus:6;mem:2048: "));
    }

    @Test
    void plotsTheFinalAllocationAsAReadablePng() throws Exception {
        Path png = dir.resolve("drf.png");

        int exit = simulate(SCENARIOS.resolve("drf.yaml").toString(), "--plot", png.toString());

        assertThat(exit).isZero();
        byte[] bytes = Files.readAllBytes(png);
        assertThat(Arrays.copyOf(bytes, 8)).containsExactly(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n');
        assertThat(bytes.length).isGreaterThan(5_000);
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(800);
        assertThat(image.getHeight()).isEqualTo(500);
        assertThat(out.toString()).contains("plot written to " + png);
    }

    @Test
    void plotsTheFinalAllocationAsSvgThatParsesAsXml() throws Exception {
        Path svg = dir.resolve("maxmin.svg");

        int exit = simulate(SCENARIOS.resolve("maxmin.yaml").toString(), "--plot", svg.toString());

        assertThat(exit).isZero();
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document doc = factory.newDocumentBuilder().parse(svg.toFile());
        assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
        assertThat(doc.getDocumentElement().getTextContent()).contains("A 32.5%", "B 10%", "Final allocation");
    }

    @Test
    void aPlotFileOfAnotherFormatIsRefusedBeforeAnythingRuns() {
        Path gif = dir.resolve("chart.gif");

        int exit = simulate(SCENARIOS.resolve("drf.yaml").toString(), "--plot", gif.toString());

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--plot needs a file ending in .png or .svg");
        assertThat(out.toString()).isEmpty();
        assertThat(gif).doesNotExist();
    }

    @Test
    void aBadScenarioIsReportedWithItsLineAndNothingRuns() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, """
                agents:
                  - id: a1
                    resources: "cpus:4"
                roles:
                  - name: eng
                    weight: 0
                frameworks:
                  - id: A
                    roles: [eng]
                """);
        Path png = dir.resolve("never.png");

        int exit = simulate(bad.toString(), "--plot", png.toString());

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).isEqualTo(
                "tandem simulate: bad.yaml line 6 (roles[0].weight): a weight must be a positive number, got 0\n");
        assertThat(out.toString()).isEmpty();
        assertThat(png).doesNotExist();
    }

    @Test
    void aMissingScenarioFileIsAUsageError() {
        int exit = simulate(dir.resolve("absent.yaml").toString());

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("no scenario file").contains("absent.yaml");
    }
}

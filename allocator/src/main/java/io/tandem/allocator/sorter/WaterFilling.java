package io.tandem.allocator.sorter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Max-min fairness computed directly, in rounds, as the article describes it: divide what is left
 * equally among those not yet satisfied; whoever is offered more than it still wants keeps only its
 * demand; re-divide the leftover in the next round. Ends when everyone is satisfied or nothing is left.
 * Used to explain max-min outcomes and as the reference the allocator is tested against.
 */
public final class WaterFilling {
    /** One round: what each unsatisfied party was offered, and what was left over afterwards. */
    public record Round(double offeredEach, SortedMap<String, Double> given, double leftover) {}

    /** The rounds and the final shares. */
    public record Result(List<Round> rounds, SortedMap<String, Double> shares) {}

    private WaterFilling() {}

    /**
     * @param capacity what there is to share (non-negative)
     * @param demands name -> what that party wants (non-negative)
     */
    public static Result of(double capacity, Map<String, Double> demands) {
        if (!(capacity >= 0) || Double.isInfinite(capacity)) {
            throw new IllegalArgumentException("capacity must be a non-negative number, got " + capacity);
        }
        demands.forEach((name, demand) -> {
            if (!(demand >= 0) || Double.isInfinite(demand)) {
                throw new IllegalArgumentException("demand of '" + name + "' must be a non-negative number, got "
                        + demand);
            }
        });
        SortedMap<String, Double> shares = new TreeMap<>();
        demands.keySet().forEach(name -> shares.put(name, 0.0));
        List<Round> rounds = new ArrayList<>();
        double left = capacity;
        while (left > 1e-9) {
            List<String> unsatisfied = shares.keySet().stream()
                    .filter(n -> shares.get(n) < demands.get(n) - 1e-9).toList();
            if (unsatisfied.isEmpty()) {
                break;
            }
            double each = left / unsatisfied.size();
            SortedMap<String, Double> given = new TreeMap<>();
            for (String name : unsatisfied) {
                double take = Math.min(each, demands.get(name) - shares.get(name));
                given.put(name, take);
                shares.merge(name, take, Double::sum);
                left -= take;
            }
            rounds.add(new Round(each, given, Math.max(left, 0)));
        }
        return new Result(List.copyOf(rounds), shares);
    }

    /** E.g. {@code round 1: 25 each; B keeps 10; 15 left over}. */
    public static List<String> describe(Result result) {
        List<String> out = new ArrayList<>();
        int i = 1;
        for (Round round : result.rounds()) {
            Map<String, Double> capped = new LinkedHashMap<>();
            round.given().forEach((n, g) -> {
                if (g < round.offeredEach() - 1e-9) {
                    capped.put(n, g);
                }
            });
            StringBuilder line = new StringBuilder("round " + i++ + ": " + number(round.offeredEach()) + " each");
            capped.forEach((n, g) -> line.append("; ").append(n).append(" keeps ").append(number(g)));
            line.append("; ").append(number(round.leftover())).append(" left over");
            out.add(line.toString());
        }
        return out;
    }

    private static String number(double value) {
        double rounded = Math.round(value * 1000) / 1000.0;
        return rounded == Math.rint(rounded) ? Long.toString((long) rounded) : Double.toString(rounded);
    }
}

package io.tandem.frameworks.gang;

import io.tandem.sdk.OfferMatcher;
import io.tandem.sdk.Placement;
import io.tandem.sdk.ResourceNeeds;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.mesos.v1.Protos.Offer;

/**
 * Where each member of a gang would go in a set of held offers: members are packed offer by offer,
 * as many per offer as fit. Pure.
 *
 * @param members one slot per member placed, in rank order
 * @param shortfall why the last offer could take no more (empty when every member was placed)
 */
record GangPlacement(List<Slot> members, String shortfall) {

    /** One member's offer, resources and port. */
    record Slot(Offer offer, Placement placement) {
        String address() {
            return offer.getHostname() + ":" + placement.ports().getFirst();
        }
    }

    static GangPlacement of(Collection<Offer> offers, ResourceNeeds needs, int size) {
        List<Slot> slots = new ArrayList<>();
        String shortfall = offers.isEmpty() ? "no offers" : "";
        for (Offer offer : offers) {
            OfferMatcher matcher = OfferMatcher.of(offer);
            while (slots.size() < size) {
                Placement p = matcher.take(needs);
                if (!p.fits()) {
                    shortfall = p.reason();
                    break;
                }
                slots.add(new Slot(offer, p));
            }
        }
        return new GangPlacement(slots, slots.size() >= size ? "" : shortfall);
    }

    boolean complete(int size) {
        return members.size() >= size;
    }
}

package io.pep.provisioning;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The serials this pep is provisioning right now. A request claims its serial before anything that
 * can wait (the site hook, the tool slot, the store) and gives it back before it is answered; a second
 * request for a claimed serial is refused with {@link SerialInUse} at once, whatever the load. A busy
 * answer (503) promises that the serial is free to retry, so it must never be given for a serial in
 * progress. Other pep instances on the same store meet the reservation's unique index instead.
 */
public class SerialsInFlight {

    private final Set<String> claimed = ConcurrentHashMap.newKeySet();

    /** Claims {@code serialNumber} for this request, or refuses it with {@link SerialInUse}. */
    public void claim(String serialNumber) {
        if (!claimed.add(serialNumber)) {
            throw new SerialInUse(serialNumber);
        }
    }

    /** Gives the serial back (the request that claimed it is about to be answered). */
    public void release(String serialNumber) {
        claimed.remove(serialNumber);
    }

    public boolean isClaimed(String serialNumber) {
        return serialNumber != null && claimed.contains(serialNumber);
    }

    /** Serials being provisioned now (for metrics and tests). */
    public int size() {
        return claimed.size();
    }
}

package dev.qorb.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qorb.Policy;
import dev.qorb.pool.SlotTargets.Candidate;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlotTargetsTest {

    private static Candidate online(int claimed, int current) {
        return new Candidate(true, true, claimed, current);
    }

    private static Candidate offline() {
        return new Candidate(true, false, 0, 1);
    }

    private static Candidate draining(int claimed) {
        return new Candidate(false, true, claimed, claimed);
    }

    private static int[] targets(Policy policy, Candidate... backends) {
        return SlotTargets.targets(List.of(backends), policy);
    }

    @Test
    void sparesSpreadEvenlyOverOnlineBackendsWithinMaxSlots() {
        Policy policy = Policy.builder().sparesWanted(8).maxSlots(16).build();
        // qorb would round 8 / 3 up and give 3 + 3 + 3 = 9; here the total is exactly 8.
        assertThat(targets(policy, online(0, 0), online(0, 0), online(0, 0))).containsExactly(3, 3, 2);
    }

    @Test
    void claimedPlusSparesIsTheWantedTotalCappedByMaxSlots() {
        Policy policy = Policy.builder().sparesWanted(8).maxSlots(16).build();
        assertThat(targets(policy, online(6, 6), online(0, 0))).containsExactly(7, 7);
        assertThat(targets(policy, online(10, 10), online(6, 6))).containsExactly(8, 8);
    }

    @Test
    void anOfflineBackendIsHeldAtOneProbeSlotCountedInsideTheCap() {
        Policy policy = Policy.builder().sparesWanted(8).maxSlots(8).build();
        int[] targets = targets(policy, online(0, 4), online(0, 3), offline());
        assertThat(targets).containsExactly(4, 3, 1);
        assertThat(Arrays.stream(targets).sum()).isEqualTo(8);
    }

    @Test
    void thePerBackendMaxIsRespectedAndTheRestGoesToOthers() {
        Policy policy = Policy.builder().sparesWanted(12).maxSlots(16).backend(b -> b.maxSlots(3)).build();
        assertThat(targets(policy, online(0, 0), online(0, 0), online(0, 0))).containsExactly(3, 3, 3);
        Policy roomy = Policy.builder().sparesWanted(10).maxSlots(16).backend(b -> b.maxSlots(4)).build();
        assertThat(targets(roomy, online(0, 0), online(0, 0), online(0, 0))).containsExactly(4, 3, 3);
    }

    @Test
    void capacitiesAreWhatEachBackendCouldHoldHoweverManyClaimsThereWere() {
        Policy capped = Policy.builder().sparesWanted(2).maxSlots(10).backend(b -> b.maxSlots(2)).build();
        assertThat(SlotTargets.capacities(List.of(online(0, 1), online(0, 1), offline(), draining(1)), capped))
                .containsExactly(2, 2, 1, 0);
        Policy tight = Policy.builder().sparesWanted(2).maxSlots(3).backend(b -> b.maxSlots(2)).build();
        assertThat(Arrays.stream(SlotTargets.capacities(List.of(online(0, 1), online(0, 1)), tight)).sum())
                .isEqualTo(3);
    }

    @Test
    void drainingBackendsGetNothingButTheirClaimsCountTowardsTheTotal() {
        Policy policy = Policy.builder().sparesWanted(4).maxSlots(16).build();
        assertThat(targets(policy, online(0, 0), draining(4))).containsExactly(8, 0);
    }

    @Test
    void moreBackendsThanMaxSlotsGivesTheMostPreferredOneSlotEach() {
        Policy policy = Policy.builder().sparesWanted(2).maxSlots(2).build();
        assertThat(targets(policy, online(0, 0), online(0, 0), offline())).containsExactly(1, 1, 0);
    }

    @Test
    void theRemainderStaysWithTheBackendsThatAlreadyHoldTheSlots() {
        Policy policy = Policy.builder().sparesWanted(7).maxSlots(16).build();
        // 7 over 3: 2 each and one more, given to the backend that has 3 now, not the first in order.
        assertThat(targets(policy, online(0, 2), online(0, 2), online(0, 3))).containsExactly(2, 2, 3);
    }

    @Test
    void targetsNeverExceedMaxSlots() {
        for (int max = 1; max <= 20; max++) {
            for (int spares = 0; spares <= max; spares++) {
                Policy policy = Policy.builder().sparesWanted(spares).maxSlots(max).backend(b -> b.maxSlots(5)).build();
                int[] targets = targets(policy, online(3, 4), offline(), online(0, 0), offline(), draining(2));
                assertThat(Arrays.stream(targets).sum()).as("max %d spares %d", max, spares).isLessThanOrEqualTo(max);
                assertThat(Arrays.stream(targets).max().orElse(0)).isLessThanOrEqualTo(5);
            }
        }
    }

    private static Candidate srv(boolean online, int priority, int weight) {
        return new Candidate(true, online, 0, 0, priority, weight);
    }

    @Test
    void theLowestPriorityWithABackendOnlineTakesEverySlot() {
        Policy policy = Policy.builder().sparesWanted(8).maxSlots(16).build();
        assertThat(targets(policy, srv(true, 10, 1), srv(true, 10, 1), srv(true, 20, 1))).containsExactly(4, 4, 0);
    }

    @Test
    void aHigherPriorityIsUsedOnlyWhileTheLowerHasNoneOnlineAndTheLowerKeepsItsProbes() {
        Policy policy = Policy.builder().sparesWanted(8).maxSlots(16).build();
        assertThat(targets(policy, srv(true, 20, 1), srv(true, 20, 1), srv(false, 10, 1), srv(false, 10, 1)))
                .containsExactly(3, 3, 1, 1);
    }

    @Test
    void slotsSpreadInProportionToWeight() {
        Policy policy = Policy.builder().sparesWanted(12).maxSlots(16).build();
        // 12 wanted: floors of 1, then 9 more in the ratio 3:1:0 (largest remainders).
        int[] targets = targets(policy, srv(true, 0, 60), srv(true, 0, 20), srv(true, 0, 0));
        assertThat(targets).containsExactly(8, 3, 1);
    }

    @Test
    void weightZeroGetsSlotsOnlyWhenTheOthersAreFull() {
        Policy policy = Policy.builder().sparesWanted(12).maxSlots(16).backend(b -> b.maxSlots(4)).build();
        assertThat(targets(policy, srv(true, 0, 50), srv(true, 0, 50), srv(true, 0, 0))).containsExactly(4, 4, 4);
    }
}

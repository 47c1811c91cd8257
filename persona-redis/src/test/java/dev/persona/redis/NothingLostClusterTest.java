package dev.persona.redis;

import dev.persona.testing.LocalRedis;
import dev.persona.testing.RedisCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * {@link NothingLostTest} on the Redis Cluster of three masters the tests share: the masters stall
 * one after another and together, a session's master restarts empty, the connections to it are
 * closed. A master that restarts refuses commands ({@code CLUSTERDOWN}) for about 2 s, so all but
 * one of the scenarios that restart masters run only in a longer run ({@code
 * -Dpersona.redis.scale=2} or more).
 */
final class NothingLostClusterTest extends NothingLostTest {
  @Override
  LocalRedis startRedis() {
    return RedisCluster.shared();
  }

  static boolean longRun() {
    return Fixtures.scale() > 1;
  }

  @Override
  @Test
  @EnabledIf("longRun")
  void changesMadeWhileRedisIsDown_reachEveryInstance_whenItIsBack() {
    super.changesMadeWhileRedisIsDown_reachEveryInstance_whenItIsBack();
  }

  @Override
  @Test
  @EnabledIf("longRun")
  void anErasureMadeWhileRedisIsDown_holdsOnEveryInstance_whenItIsBack() {
    super.anErasureMadeWhileRedisIsDown_holdsOnEveryInstance_whenItIsBack();
  }

  @Override
  @Test
  @EnabledIf("longRun")
  void aCopyHeldWhileRedisIsDown_isNotUsed_sinceAnotherInstanceMayHaveErasedIt() {
    super.aCopyHeldWhileRedisIsDown_isNotUsed_sinceAnotherInstanceMayHaveErasedIt();
  }

  @Override
  @Test
  @EnabledIf("longRun")
  void changesWrittenAgainOnALateTombstone_areWrittenBack_whenRedisLosesItsData() {
    super.changesWrittenAgainOnALateTombstone_areWrittenBack_whenRedisLosesItsData();
  }

  @Override
  @Test
  @EnabledIf("longRun")
  void forgetUserAfterRedisLostItsData_erasesASessionAnotherInstanceWritesBack() {
    super.forgetUserAfterRedisLostItsData_erasesASessionAnotherInstanceWritesBack();
  }

  @Override
  @Test
  @EnabledIf("longRun")
  void forgetUserWhileRedisIsDown_erasesWhatCameBefore_andKeepsWhatCameAfter() {
    super.forgetUserWhileRedisIsDown_erasesWhatCameBefore_andKeepsWhatCameAfter();
  }
}

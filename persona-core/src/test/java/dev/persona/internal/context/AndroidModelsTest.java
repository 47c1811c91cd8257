package dev.persona.internal.context;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every row of {@code android-models.tsv} takes effect: no earlier list or rule shadows it. */
final class AndroidModelsTest {

  private static final Map<String, String[]> LISTS = AndroidModels.read("android-models.tsv");

  @Test
  void everyComputerAndTvWordMakesADesktop() {
    for (String list : List.of("computer", "tv")) {
      for (String word : LISTS.get(list)) {
        assertThat(AndroidModels.device(word)).as("%s %s", list, word).isEqualTo("desktop");
        assertThat(AndroidModels.device("brand " + word + " 15"))
            .as("%s %s after a space", list, word)
            .isEqualTo("desktop");
      }
    }
  }

  @Test
  void everyTabletRowMakesATablet_alsoAfterABrand() {
    for (String prefix : LISTS.get("tablet_prefix")) {
      assertThat(AndroidModels.device(prefix + "x"))
          .as("tablet_prefix %s", prefix)
          .isEqualTo("tablet");
    }
    for (String code : LISTS.get("tablet_code")) {
      assertThat(AndroidModels.device(code + "1x")).as("tablet_code %s", code).isEqualTo("tablet");
      assertThat(AndroidModels.device("lenovo " + code + "1x"))
          .as("tablet_code %s after a brand", code)
          .isEqualTo("tablet");
      assertThat(AndroidModels.device(code + "x1"))
          .as("tablet_code %s without a digit after it", code)
          .isNotEqualTo("tablet");
    }
    for (String word : LISTS.get("tablet_word")) {
      assertThat(AndroidModels.device("x " + word)).as("tablet_word %s", word).isEqualTo("tablet");
    }
    for (String code : LISTS.get("huawei_tablet")) {
      assertThat(AndroidModels.device(code + "-al00"))
          .as("huawei_tablet %s", code)
          .isEqualTo("tablet");
    }
  }

  @Test
  void everyFillerIsSkippedForTheModelAfterIt() {
    for (String filler : LISTS.get("filler")) {
      assertThat(AndroidModels.model("mozilla/5.0 (linux; android 12; " + filler + "; sm-t225n)"))
          .as("filler %s", filler)
          .isEqualTo("sm-t225n");
    }
  }
}

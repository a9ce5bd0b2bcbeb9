// Course tooling for notebooks: exercise checks (`llm.course.check("03.2", answer)`), and the
// grader's two halves (recordAnswer in the kernel, judgeTranscript in a trusted process).
import "./exercises";
export {
  check,
  exercises,
  exercise,
  registerExercise,
  CheckDisplay,
  CHECK_MIME,
  type CheckResult,
  type Exercise,
  type Verdict,
} from "./check";
export { recordAnswer, writeRecord, judgeTranscript } from "./trusted";
export type { Transcript } from "./transcript";

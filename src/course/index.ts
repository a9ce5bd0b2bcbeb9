// Course tooling for notebooks: exercise checks (`llm.course.check("03.2", answer)`).
import "./exercises";
export { check, exercises, exercise, registerExercise, CheckDisplay, CHECK_MIME } from "./check";
export type { CheckResult, Exercise, Verdict } from "./check";

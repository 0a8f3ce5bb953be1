/** Commands that pick the newest search themselves say which one they picked. */
export function sayProject(project: string, given: string | undefined): void {
  if (!given) process.stderr.write(`project: ${project} (the newest search under runs/; choose another with --project)\n`);
}

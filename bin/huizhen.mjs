#!/usr/bin/env node
// The CLI's sources are TypeScript run through Node's built-in type stripping (Node >= 24,
// the major Electron 45 embeds). Fail with one clear line on an older Node.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(
    `huizhen: needs Node 24 or newer (this is ${process.version}); run it through npm (npx huizhen …), which uses the project's Node.\n`,
  );
  process.exit(2);
}
// `huizhen … | head` closes the pipe early; that is not an error worth a stack trace.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
const { runCli } = await import('../src/cli/main.ts');
process.exitCode = await runCli(process.argv.slice(2));

// A CLI: no server here, nothing to drain.
process.on('SIGINT', () => {
  console.log('aborted');
  process.exit(130);
});

/**
 * Preloaded (`node --require`) into each service `hydra up` starts as a process: when `hydra up`
 * itself dies (its IPC channel closes) the service stops as if told to, instead of living on.
 */
process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));

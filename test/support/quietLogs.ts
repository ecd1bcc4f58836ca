// Request logs would bury Jest's report; tests that read logs capture stdout themselves.
process.env.LOG_LEVEL ??= 'silent';

/**
 * What the code under test writes to stdout (the handlers' log lines), kept instead of printed
 * between `start` and `stop`. Read it from a `mark` taken before the request of interest.
 */
export const captureStdout = () => {
  const written: string[] = [];
  let spy: jest.SpyInstance | undefined;
  return {
    start() {
      spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
        written.push(String(chunk));
        return true;
      });
    },
    stop() {
      spy?.mockRestore();
    },
    mark: () => written.length,
    textSince: (mark: number) => written.slice(mark).join(''),
  };
};

/** The text file the download holds: a line of context, then one code per line. */
export function recoveryCodesFile(codes: readonly string[], site: string): string {
  return [`Recovery codes for ${site}: each signs in once in place of an authenticator code.`, '', ...codes, ''].join(
    '\n',
  );
}

/** Raised for anything wrong in what the user wrote: config, arguments, plugins. Exit code 2. */
export class UserInputError extends Error {
  constructor(message: string, readonly details: string[] = []) {
    super(details.length > 0 ? `${message}\n${details.map((d) => `  - ${d}`).join('\n')}` : message);
    this.name = 'UserInputError';
  }
}

/** A component name that no loaded plugin registered. */
export class UnknownComponentError extends UserInputError {
  constructor(readonly kind: string, readonly componentName: string, known: string[], where?: string) {
    super(
      `${where ? `${where}: ` : ''}unknown ${kind} "${componentName}"; known ${kind} components: ${known.join(', ') || '(none)'}` +
        ' (is the plugin that provides it listed under `plugins`?)',
    );
    this.name = 'UnknownComponentError';
  }
}

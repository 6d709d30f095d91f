import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';

/**
 * Unknown fields are refused (not silently stripped): a client that sends `role` or `list`
 * where they are not accepted learns so instead of believing they took effect.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new BadRequestException(flatten(errors).join('; ')),
  });
}

function flatten(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.entries(e.constraints ?? {}).map(([rule, m]) =>
      rule === 'whitelistValidation'
        ? `${field}: unknown field; remove it (this endpoint does not accept it)`
        : `${field}: ${m.startsWith(`${e.property} `) ? m.slice(e.property.length + 1) : m}`,
    );
    return own.concat(flatten(e.children ?? [], field));
  });
}

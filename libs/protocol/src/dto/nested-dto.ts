/**
 * `@NestedDto(() => Cls)`: the one decorator for a property that holds another DTO (or an array of
 * them). It applies class-validator's `@ValidateNested()` and class-transformer's `@Type()` — so
 * `plainToInstance` + `validateSync` work as usual — and records the nested class where the compiled
 * validator ({@link compileDtoValidator}) can find it without reaching into class-transformer's
 * private storage. One decorator, so the two views of the DTO cannot drift apart (STYLE 8).
 */
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { ValidateNested } from 'class-validator';

/** A DTO class: constructible without arguments (class-transformer requires it). */
export type DtoClass<T extends object = object> = new () => T;

/** prototype → property → nested DTO class factory. */
const NESTED_TYPES = new WeakMap<object, Map<string, () => DtoClass>>();

/**
 * Marks `property` as holding a `factory()` instance (or an array of them) validated recursively.
 * @param factory returns the nested DTO class (a thunk, so classes may be declared in any order)
 */
export function NestedDto(factory: () => DtoClass): PropertyDecorator {
  const validateNested = ValidateNested();
  const type = Type(factory);
  return (target: object, property: string | symbol): void => {
    if (typeof property !== 'string') throw new TypeError('NestedDto: property must be a string key');
    validateNested(target, property);
    type(target, property);
    let byProperty = NESTED_TYPES.get(target);
    if (byProperty === undefined) {
      byProperty = new Map();
      NESTED_TYPES.set(target, byProperty);
    }
    byProperty.set(property, factory);
  };
}

/**
 * The nested DTO class recorded by {@link NestedDto} for `property` of `cls` (or of a superclass).
 * @returns `undefined` when the property was not declared with `@NestedDto`
 */
export function nestedDtoClassOf(cls: DtoClass, property: string): DtoClass | undefined {
  for (let proto: object | null = cls.prototype; proto !== null; proto = Object.getPrototypeOf(proto)) {
    const factory = NESTED_TYPES.get(proto)?.get(property);
    if (factory !== undefined) return factory();
  }
  return undefined;
}

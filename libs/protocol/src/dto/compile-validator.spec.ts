import { IsDefined, IsInt, IsOptional, IsString, Min, MinLength, ValidateIf, ValidateNested, IsNumber } from 'class-validator';
import { classValidatorViolations } from '../testing';
import { NESTED_ARRAY_DEPTH_MAX, compileDtoValidator } from './compile-validator';
import { NestedDto, nestedDtoClassOf } from './nested-dto';

class Leaf {
  @IsInt()
  @Min(1)
  n!: number;
}

class Tree {
  @IsString({ each: true })
  tags!: string[];

  @IsOptional()
  @NestedDto(() => Leaf)
  leaves?: Leaf[];

  @ValidateIf((o: Tree) => Array.isArray(o.tags) && o.tags.includes('priced'))
  @IsNumber()
  price?: number;
}

class Child extends Tree {
  @MinLength(2)
  label!: string;
}

function violations(cls: new () => object, value: Record<string, unknown>): string[] {
  const out: string[] = [];
  compileDtoValidator(cls)(value, '', out);
  return out.sort();
}

describe('compileDtoValidator', () => {
  it.each([
    [{ tags: ['a'] }],
    [{ tags: ['a', 1] }],
    [{ tags: 'a' }],
    [{ tags: [], leaves: [{ n: 1 }, { n: 0 }, 'x', [{ n: 'q' }]] }],
    [{ tags: [], leaves: { n: 2 } }],
    [{ tags: [], leaves: null }],
    [{ tags: ['priced'] }],
    [{ tags: ['priced'], price: 3 }],
  ])('mirrors validateSync for %j', (value) => {
    expect(violations(Tree, value)).toEqual(classValidatorViolations(Tree, value));
  });

  it('reports nested paths as dotted property names and indexes', () => {
    expect(violations(Tree, { tags: [], leaves: [{ n: 1 }, { n: 0 }, 'x'] })).toEqual([
      'leaves.1.n: min',
      'leaves.2: nestedValidation',
    ]);
  });

  it('stops walking arrays in arrays at NESTED_ARRAY_DEPTH_MAX with one violation', () => {
    let leaves: unknown = [{ n: 0 }];
    for (let i = 0; i < NESTED_ARRAY_DEPTH_MAX + 5; i++) leaves = [leaves];
    const out = violations(Tree, { tags: [], leaves });
    expect(out).toEqual([`leaves${'.0'.repeat(NESTED_ARRAY_DEPTH_MAX)}: nestedValidation`]);
  });

  it('includes inherited validations', () => {
    const value = { tags: 5, label: 'x' };
    expect(violations(Child, value)).toEqual(['label: minLength', 'tags: isString']);
    expect(violations(Child, value)).toEqual(classValidatorViolations(Child, value));
  });

  it('compiles each class once', () => {
    expect(compileDtoValidator(Tree)).toBe(compileDtoValidator(Tree));
  });

  it('records the nested class of @NestedDto', () => {
    expect(nestedDtoClassOf(Tree, 'leaves')).toBe(Leaf);
    expect(nestedDtoClassOf(Child, 'leaves')).toBe(Leaf);
    expect(nestedDtoClassOf(Tree, 'tags')).toBeUndefined();
  });

  it('refuses, with TypeError, what it does not mirror', () => {
    class NoMetadata {
      x = 1;
    }
    class Defined {
      @IsDefined()
      x!: string;
    }
    class Grouped {
      @IsString({ groups: ['admin'] })
      x!: string;
    }
    class RawNested {
      @ValidateNested()
      x!: Leaf;
    }
    for (const cls of [NoMetadata, Defined, Grouped, RawNested]) {
      expect(() => compileDtoValidator(cls)).toThrow(TypeError);
    }
  });
});

import { IsString } from 'class-validator';
import { EnvVar, getEnvVarSpecs } from './env-var';

describe('EnvVar', () => {
  it('refuses a name that is not UPPER_SNAKE_CASE (TypeError: programmer misuse)', () => {
    expect(() => EnvVar({ name: 'httpPort', doc: 'x' })).toThrow(TypeError);
  });
});

describe('getEnvVarSpecs', () => {
  it('lists base-class variables first and infers kinds from annotations or defaults', () => {
    class Base {
      @EnvVar({ name: 'A_LIST', doc: 'a' })
      list: string[] = [];
    }
    class Child extends Base {
      @EnvVar({ name: 'B_TEXT', doc: 'b' })
      text = 'x';

      @EnvVar({ name: 'C_FLAG', doc: 'c', secret: true })
      flag!: boolean;

      @EnvVar({ name: 'D_URL', doc: 'd', kind: 'url' })
      url?: string;
    }
    expect(getEnvVarSpecs(Child)).toEqual([
      { property: 'list', name: 'A_LIST', doc: 'a', secret: false, kind: 'list' },
      { property: 'text', name: 'B_TEXT', doc: 'b', secret: false, kind: 'string' },
      { property: 'flag', name: 'C_FLAG', doc: 'c', secret: true, kind: 'boolean' },
      { property: 'url', name: 'D_URL', doc: 'd', secret: false, kind: 'url' },
    ]);
  });

  it('needs an explicit kind when neither the annotation nor a default tells', () => {
    class Vague {
      @EnvVar({ name: 'VAGUE', doc: 'v' })
      @IsString()
      vague?: string | number;
    }
    expect(() => getEnvVarSpecs(Vague)).toThrow('Vague: @EnvVar(VAGUE) on "vague" needs an explicit kind');
  });

  it('refuses a class without variables and a name declared twice', () => {
    class Empty {}
    expect(() => getEnvVarSpecs(Empty)).toThrow(TypeError);
    class Twice {
      @EnvVar({ name: 'SAME', doc: '1' })
      one = '';

      @EnvVar({ name: 'SAME', doc: '2' })
      two = '';
    }
    expect(() => getEnvVarSpecs(Twice)).toThrow('Twice: SAME is declared twice');
  });
});

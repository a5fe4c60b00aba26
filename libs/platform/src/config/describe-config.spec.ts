import { IsOptional, IsString, MinLength } from 'class-validator';
import { describeConfig, renderConfigMarkdown, renderEnvTemplate } from './describe-config';
import { EnvVar } from './env-var';
import { IsPort } from './validators';

class DocConfig {
  @EnvVar({ name: 'HTTP_PORT', kind: 'integer', doc: 'Public port.' })
  @IsPort()
  httpPort = 8080;

  @EnvVar({ name: 'SITE_IDS', doc: 'Sites, comma-separated.' })
  @IsString({ each: true })
  siteIds!: string[];

  @EnvVar({ name: 'PORTAL_AUTH', secret: true, doc: 'Authorization header | value.' })
  @IsString()
  @MinLength(1)
  portalAuth = 'not-a-real-default';

  @EnvVar({ name: 'DEFAULT_SITE_ID', kind: 'string', doc: 'Optional site.' })
  @IsOptional()
  defaultSiteId?: string;
}

describe('describeConfig', () => {
  it('returns one row per variable with type, default, required and secret', () => {
    expect(describeConfig(DocConfig)).toEqual([
      { name: 'HTTP_PORT', kind: 'integer', default: '8080', required: false, doc: 'Public port.', secret: false },
      { name: 'SITE_IDS', kind: 'list', default: '', required: true, doc: 'Sites, comma-separated.', secret: false },
      { name: 'PORTAL_AUTH', kind: 'string', default: '', required: false, doc: 'Authorization header | value.', secret: true },
      { name: 'DEFAULT_SITE_ID', kind: 'string', default: '', required: false, doc: 'Optional site.', secret: false },
    ]);
  });
});

describe('renderConfigMarkdown', () => {
  it('renders a Markdown table, escaping pipes and marking secrets and required variables', () => {
    expect(renderConfigMarkdown(describeConfig(DocConfig))).toBe(
      [
        '| variable | type | default | meaning |',
        '|---|---|---|---|',
        '| `HTTP_PORT` | integer | `8080` | Public port. |',
        '| `SITE_IDS` | list | **required** | Sites, comma-separated. |',
        '| `PORTAL_AUTH` | string | — | Authorization header \\| value. *(secret)* |',
        '| `DEFAULT_SITE_ID` | string | — | Optional site. |',
        '',
      ].join('\n'),
    );
  });
});

describe('renderEnvTemplate', () => {
  it('renders a .env template with defaults commented out and required variables empty', () => {
    const text = renderEnvTemplate(describeConfig(DocConfig));
    expect(text).toContain('# Public port.\n# HTTP_PORT=8080\n');
    expect(text).toContain('# Sites, comma-separated. (required)\nSITE_IDS=\n');
    expect(text).not.toContain('not-a-real-default');
  });
});

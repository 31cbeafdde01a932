package dev.vigil.copilot.plugin;

import static java.util.Objects.requireNonNull;

import dev.vigil.copilot.EntityType;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A validated plugin manifest, in the shape of Security Copilot's custom plugins: a {@link Descriptor} and skill
 * groups of one format each. Every skill carries the name it is known by to the planner, derived from the plugin's
 * and the skill's names in kebab case ({@code lateral-movement-hunts-rdp-logons-from-host}).
 *
 * @param name the plugin's name in kebab case, as commands and folders name it ({@code lateral-movement-hunts})
 * @param descriptor the manifest's {@code Descriptor}
 * @param groups the manifest's {@code SkillGroups}, in order
 * @param source the manifest's file name, for messages
 */
public record PluginManifest(String name, Descriptor descriptor, List<SkillGroup> groups, String source) {
    public PluginManifest {
        requireNonNull(name, "name is null");
        requireNonNull(descriptor, "descriptor is null");
        groups = List.copyOf(groups);
        requireNonNull(source, "source is null");
    }

    /** The skill names of every group, in order. */
    public List<String> skillNames() {
        return groups.stream().flatMap(g -> switch (g) {
            case SkillGroup.Kql kql -> kql.skills().stream().map(TemplateSkill::skillName);
            case SkillGroup.Sql sql -> sql.skills().stream().map(TemplateSkill::skillName);
            case SkillGroup.Api api -> api.operations().stream().map(ApiOperation::skillName);
            // an MCP server's tools are known only once it is asked (tools/list), when the plugin's skills load
            case SkillGroup.Mcp mcp -> java.util.stream.Stream.<String>empty();
        }).toList();
    }

    /** The settings the descriptor declares that hold secrets (keys, passwords, client secrets). */
    public boolean isSecret(String setting) {
        return descriptor.settings().stream().filter(s -> s.name().equalsIgnoreCase(setting)).findFirst()
                .map(Setting::secret).orElse(Setting.looksSecret(setting));
    }

    /**
     * The plugin's {@code Descriptor}.
     *
     * @param name {@code Name} as written ({@code LateralMovementHunts})
     * @param displayName {@code DisplayName}, or the name when absent
     * @param description {@code Description}
     * @param descriptionForModel {@code DescriptionForModel}, or the description when absent
     * @param settings {@code Settings}: values each tenant gives at install ({@code --setting Name=value})
     * @param supportedAuthTypes {@code SupportedAuthTypes} as written
     * @param authorization how API skills authenticate; {@link Authorization.None} when the manifest says nothing
     */
    public record Descriptor(String name, String displayName, String description, String descriptionForModel,
            List<Setting> settings, List<String> supportedAuthTypes, Authorization authorization) {
        public Descriptor {
            requireNonNull(name, "name is null");
            requireNonNull(displayName, "displayName is null");
            requireNonNull(description, "description is null");
            requireNonNull(descriptionForModel, "descriptionForModel is null");
            settings = List.copyOf(settings);
            supportedAuthTypes = List.copyOf(supportedAuthTypes);
            requireNonNull(authorization, "authorization is null");
        }
    }

    /**
     * A setting of the descriptor.
     *
     * @param secret whether its value is masked in listings: its {@code SettingType} says so ({@code SecretString},
     *     {@code Password}), or its name does ({@code ApiKey}, {@code ClientSecret}, {@code Password}, {@code Token})
     */
    public record Setting(String name, String label, String description, boolean required,
            Optional<String> defaultValue, boolean secret) {
        public Setting {
            requireNonNull(name, "name is null");
            requireNonNull(label, "label is null");
            requireNonNull(description, "description is null");
            requireNonNull(defaultValue, "defaultValue is null");
        }

        static boolean looksSecret(String name) {
            return Node.lower(name).matches(".*(key|secret|password|token|credential).*");
        }
    }

    /**
     * How an API plugin authenticates. Secret values are never in the manifest: each names the setting that holds it,
     * given per tenant at install.
     */
    public sealed interface Authorization {
        /** No authentication. */
        record None() implements Authorization {}

        /**
         * An API key in a header or a query parameter.
         *
         * @param key the header or query parameter name ({@code x-api-key})
         * @param inQuery whether it goes in the query string instead of a header
         * @param scheme a prefix of the header value ({@code Bearer}), empty for none
         * @param valueSetting the setting that holds the key
         */
        record ApiKey(String key, boolean inQuery, String scheme, String valueSetting) implements Authorization {
            public ApiKey {
                requireNonNull(key, "key is null");
                requireNonNull(scheme, "scheme is null");
                requireNonNull(valueSetting, "valueSetting is null");
            }
        }

        /** HTTP Basic authentication with the user name and password of two settings. */
        record Basic(String usernameSetting, String passwordSetting) implements Authorization {
            public Basic {
                requireNonNull(usernameSetting, "usernameSetting is null");
                requireNonNull(passwordSetting, "passwordSetting is null");
            }
        }

        /**
         * OAuth 2.0 client credentials: a token from the token endpoint, cached until shortly before it expires.
         *
         * @param tokenEndpoint the token URL, or a {@code {{Setting}}} reference to one
         * @param scopes the scopes to request, space separated; empty for none
         */
        record OAuthClientCredentials(String tokenEndpoint, String scopes, String clientIdSetting,
                String clientSecretSetting) implements Authorization {
            public OAuthClientCredentials {
                requireNonNull(tokenEndpoint, "tokenEndpoint is null");
                requireNonNull(scopes, "scopes is null");
                requireNonNull(clientIdSetting, "clientIdSetting is null");
                requireNonNull(clientSecretSetting, "clientSecretSetting is null");
            }
        }
    }

    /** One entry of {@code SkillGroups}: its skills all share a format. */
    public sealed interface SkillGroup {
        /** {@code Format: KQL}: hunting query templates run over the tenant's store. */
        record Kql(List<TemplateSkill> skills) implements SkillGroup {
            public Kql {
                skills = List.copyOf(skills);
            }
        }

        /** {@code Format: SQL}: read-only SQL templates run over the tenant's store. */
        record Sql(List<TemplateSkill> skills) implements SkillGroup {
            public Sql {
                skills = List.copyOf(skills);
            }
        }

        /**
         * {@code Format: API}: one skill per operation of an OpenAPI 3.0 specification.
         *
         * @param baseUrl the URL operations' paths are relative to: {@code EndpointUrl}, or a {@code {{Setting}}}
         *     reference ({@code EndpointUrlSettingName}), or the specification's first server
         */
        record Api(String baseUrl, List<ApiOperation> operations) implements SkillGroup {
            public Api {
                requireNonNull(baseUrl, "baseUrl is null");
                operations = List.copyOf(operations);
            }
        }

        /**
         * {@code Format: MCP}: the tools of an external Model Context Protocol server, one skill each, listed when the
         * plugin's skills load. Exactly one of {@code url} and {@code command} is set.
         *
         * @param url the server's streamable HTTP endpoint ({@code Url}, or a {@code {{Setting}}} reference); empty
         *     for a stdio server
         * @param command the command line that starts a stdio server ({@code Command}), split on white space; empty
         *     for an HTTP server
         * @param headers HTTP headers sent with every request ({@code Headers}); values may hold {@code {{Setting}}}
         *     references, resolved with the tenant's settings (an API key)
         * @param tools the tools to take ({@code Tools}); empty for all the server lists
         */
        record Mcp(String url, List<String> command, Map<String, String> headers, List<String> tools)
                implements SkillGroup {
            public Mcp {
                requireNonNull(url, "url is null");
                command = List.copyOf(command);
                headers = Map.copyOf(headers);
                tools = List.copyOf(tools);
            }
        }
    }

    /**
     * A KQL or SQL template skill.
     *
     * @param name {@code Name} as written
     * @param skillName the skill's name for the planner
     * @param target {@code Settings.Target} as written ({@code Defender}, {@code Sentinel}); Vigil runs every target
     *     against its own store, whose tables include Defender's and Sentinel's
     * @param template the template as written, with {@code {{Input}}} placeholders
     * @param bound the template with each placeholder rewritten into a bound parameter
     */
    public record TemplateSkill(String name, String skillName, String displayName, String description,
            List<String> examples, List<TemplateInput> inputs, String target, String template,
            BoundTemplate bound) {
        public TemplateSkill {
            requireNonNull(name, "name is null");
            requireNonNull(skillName, "skillName is null");
            requireNonNull(displayName, "displayName is null");
            requireNonNull(description, "description is null");
            examples = List.copyOf(examples);
            inputs = List.copyOf(inputs);
            requireNonNull(target, "target is null");
            requireNonNull(template, "template is null");
            requireNonNull(bound, "bound is null");
        }
    }

    /**
     * An input of a template skill.
     *
     * @param name {@code Name} as written, as placeholders spell it ({@code DeviceName})
     * @param inputName the skill input's name ({@code device_name})
     * @param type the entity type the planner fills it with, read from its name or description; {@link EntityType#TEXT}
     *     otherwise
     */
    public record TemplateInput(String name, String inputName, String description, boolean required,
            Optional<String> defaultValue, EntityType type) {
        public TemplateInput {
            requireNonNull(name, "name is null");
            requireNonNull(inputName, "inputName is null");
            requireNonNull(description, "description is null");
            requireNonNull(defaultValue, "defaultValue is null");
            requireNonNull(type, "type is null");
        }
    }

    /**
     * A template with its placeholders rewritten into parameters, so that values are bound and never become query
     * text.
     *
     * @param text the query to run: for KQL, a {@code declare query_parameters(...)} statement and the template with
     *     each placeholder replaced by its parameter; for SQL, the template with {@code ?} markers
     * @param parameters for KQL, each declared parameter's name by input name; for SQL, the input name of each
     *     {@code ?} marker, in order (an input used twice appears twice)
     * @param types for KQL, the declared type of each parameter by input name ({@code string}, {@code long},
     *     {@code timespan})
     */
    public record BoundTemplate(String text, List<String> parameters, Map<String, String> types) {
        public BoundTemplate {
            requireNonNull(text, "text is null");
            parameters = List.copyOf(parameters);
            types = Map.copyOf(types);
        }
    }

    /**
     * One operation of an API skill group's OpenAPI specification.
     *
     * @param operationId the operation's {@code operationId}
     * @param skillName the skill's name for the planner
     * @param method the HTTP method, upper case
     * @param path the path template ({@code /devices/{id}})
     * @param parameters path, query and header parameters, then the top-level properties of a JSON request body
     */
    public record ApiOperation(String operationId, String skillName, String method, String path, String summary,
            String description, List<ApiParameter> parameters, List<String> examples) {
        public ApiOperation {
            requireNonNull(operationId, "operationId is null");
            requireNonNull(skillName, "skillName is null");
            requireNonNull(method, "method is null");
            requireNonNull(path, "path is null");
            requireNonNull(summary, "summary is null");
            requireNonNull(description, "description is null");
            parameters = List.copyOf(parameters);
            examples = List.copyOf(examples);
        }
    }

    /**
     * A parameter of an operation.
     *
     * @param location where its value goes
     * @param schemaType the OpenAPI schema type ({@code string}, {@code integer}, {@code boolean}); body values are
     *     sent as JSON of this type
     */
    public record ApiParameter(String name, String inputName, Location location, boolean required, String description,
            String schemaType, EntityType type) {
        public enum Location {
            PATH,
            QUERY,
            HEADER,
            BODY
        }

        public ApiParameter {
            requireNonNull(name, "name is null");
            requireNonNull(inputName, "inputName is null");
            requireNonNull(location, "location is null");
            requireNonNull(description, "description is null");
            requireNonNull(schemaType, "schemaType is null");
            requireNonNull(type, "type is null");
        }
    }
}

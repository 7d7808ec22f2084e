using Compliance.Domain;

namespace Compliance.Web.Data.DemoData;

/// <summary>The demo's fixed reference data: real public model ids, fictional customers.</summary>
internal static class DemoCatalog
{
    public const string Bedrock = "AWS Bedrock";
    public const string BedrockGov = "AWS Bedrock GovCloud";
    public const string AzureGov = "Azure OpenAI Government";
    public const string Vertex = "Vertex AI";
    public const string SelfHosted = "Self-hosted";
    public const string AnthropicApi = "Anthropic API";

    public sealed record ModelSpec(string Provider, string HostModelId, string DisplayName, string Version, string Hosting, string Region,
        int? DeprecatedDaysAgo = null, int? RetiredDaysAgo = null);

    public static readonly ModelSpec[] Models =
    [
        new("Anthropic", "anthropic.claude-3-5-sonnet-20241022-v2:0", "Claude 3.5 Sonnet v2", "20241022-v2", Bedrock, "us-east-1"),
        new("Anthropic", "anthropic.claude-3-5-haiku-20241022-v1:0", "Claude 3.5 Haiku", "20241022", Bedrock, "us-east-1"),
        new("Anthropic", "anthropic.claude-3-7-sonnet-20250219-v1:0", "Claude 3.7 Sonnet", "20250219", Bedrock, "us-east-1"),
        new("Anthropic", "anthropic.claude-sonnet-4-20250514-v1:0", "Claude Sonnet 4", "20250514", Bedrock, "us-east-1"),
        new("Anthropic", "anthropic.claude-3-opus-20240229-v1:0", "Claude 3 Opus", "20240229", Bedrock, "us-east-1", DeprecatedDaysAgo: 120),
        new("Meta", "meta.llama3-1-405b-instruct-v1:0", "Llama 3.1 405B Instruct", "3.1", Bedrock, "us-west-2"),
        new("Meta", "meta.llama3-3-70b-instruct-v1:0", "Llama 3.3 70B Instruct", "3.3", Bedrock, "us-east-1"),
        new("Amazon", "amazon.nova-pro-v1:0", "Amazon Nova Pro", "1.0", Bedrock, "us-east-1"),
        new("Amazon", "amazon.nova-lite-v1:0", "Amazon Nova Lite", "1.0", Bedrock, "us-east-1"),
        new("Amazon", "amazon.titan-embed-text-v2:0", "Titan Text Embeddings V2", "2.0", Bedrock, "us-east-1"),
        new("Mistral AI", "mistral.mistral-large-2407-v1:0", "Mistral Large (24.07)", "2407", Bedrock, "us-west-2"),
        new("Cohere", "cohere.command-r-plus-v1:0", "Command R+", "1.0", Bedrock, "us-east-1"),
        new("Cohere", "cohere.embed-english-v3", "Embed English v3", "3", Bedrock, "us-east-1"),
        new("AI21 Labs", "ai21.jamba-1-5-large-v1:0", "Jamba 1.5 Large", "1.5", Bedrock, "us-east-1"),
        new("Anthropic", "anthropic.claude-3-5-sonnet-20240620-v1:0", "Claude 3.5 Sonnet", "20240620", BedrockGov, "us-gov-west-1"),
        new("Anthropic", "anthropic.claude-3-haiku-20240307-v1:0", "Claude 3 Haiku", "20240307", BedrockGov, "us-gov-west-1"),
        new("Anthropic", "anthropic.claude-3-7-sonnet-20250219-v1:0", "Claude 3.7 Sonnet", "20250219", BedrockGov, "us-gov-west-1"),
        new("Meta", "meta.llama3-70b-instruct-v1:0", "Llama 3 70B Instruct", "3.0", BedrockGov, "us-gov-west-1"),
        new("Meta", "meta.llama3-8b-instruct-v1:0", "Llama 3 8B Instruct", "3.0", BedrockGov, "us-gov-west-1"),
        new("Amazon", "amazon.titan-text-express-v1", "Titan Text G1 - Express", "1", BedrockGov, "us-gov-west-1", DeprecatedDaysAgo: 60),
        new("Amazon", "amazon.titan-embed-text-v2:0", "Titan Text Embeddings V2", "2.0", BedrockGov, "us-gov-west-1"),
        new("Amazon", "amazon.nova-pro-v1:0", "Amazon Nova Pro", "1.0", BedrockGov, "us-gov-west-1"),
        new("OpenAI", "gpt-4o", "GPT-4o (2024-11-20)", "2024-11-20", AzureGov, "usgovvirginia"),
        new("OpenAI", "gpt-4o-mini", "GPT-4o mini", "2024-07-18", AzureGov, "usgovvirginia"),
        new("OpenAI", "gpt-4", "GPT-4 Turbo", "turbo-2024-04-09", AzureGov, "usgovarizona", DeprecatedDaysAgo: 200),
        new("OpenAI", "gpt-35-turbo", "GPT-3.5 Turbo", "0125", AzureGov, "usgovvirginia", DeprecatedDaysAgo: 400, RetiredDaysAgo: 30),
        new("OpenAI", "text-embedding-3-large", "text-embedding-3-large", "1", AzureGov, "usgovvirginia"),
        new("OpenAI", "o3-mini", "o3-mini", "2025-01-31", AzureGov, "usgovvirginia"),
        new("Google", "publishers/google/models/gemini-2.0-flash-001", "Gemini 2.0 Flash", "001", Vertex, "us-central1"),
        new("Google", "publishers/google/models/gemini-2.5-pro", "Gemini 2.5 Pro", "2.5", Vertex, "us-central1"),
        new("Google", "publishers/google/models/gemini-1.5-pro-002", "Gemini 1.5 Pro", "002", Vertex, "us-central1", DeprecatedDaysAgo: 300, RetiredDaysAgo: 60),
        new("Meta", "publishers/meta/models/llama3-405b-instruct-maas", "Llama 3.1 405B (MaaS)", "3.1", Vertex, "us-central1"),
        new("Anthropic", "publishers/anthropic/models/claude-3-5-sonnet-v2@20241022", "Claude 3.5 Sonnet v2", "20241022", Vertex, "us-east5"),
        new("Meta", "meta-llama/Llama-3.1-8B-Instruct", "Llama 3.1 8B Instruct", "3.1", SelfHosted, "on-premises"),
        new("Meta", "meta-llama/Llama-3.3-70B-Instruct", "Llama 3.3 70B Instruct", "3.3", SelfHosted, "on-premises"),
        new("Mistral AI", "mistralai/Mistral-7B-Instruct-v0.3", "Mistral 7B Instruct v0.3", "0.3", SelfHosted, "on-premises"),
        new("Alibaba", "Qwen/Qwen2.5-Coder-32B-Instruct", "Qwen2.5 Coder 32B", "2.5", SelfHosted, "on-premises"),
        new("IBM", "ibm-granite/granite-3.1-8b-instruct", "Granite 3.1 8B Instruct", "3.1", SelfHosted, "on-premises"),
        new("Microsoft", "microsoft/Phi-3-mini-4k-instruct", "Phi-3 Mini 4K Instruct", "3", SelfHosted, "on-premises"),
        new("Google", "google/gemma-2-9b-it", "Gemma 2 9B IT", "2", SelfHosted, "on-premises"),
        new("Anthropic", "claude-sonnet-4-20250514", "Claude Sonnet 4 (Claude Code)", "20250514", AnthropicApi, "us"),
        new("Anthropic", "claude-opus-4-1-20250805", "Claude Opus 4.1 (Claude Code)", "20250805", AnthropicApi, "us"),
    ];

    public sealed record CustomerSpec(string Code, string Name, Sector Sector, string Contact);

    public static readonly CustomerSpec[] Customers =
    [
        new("acme", "Acme Defense Systems", Sector.Defense, "compliance@acme.example"),
        new("globex", "Globex Federal Services", Sector.Civilian, "security@globex.example"),
        new("northwind", "Northwind Logistics Command", Sector.Defense, "isso@northwind.example"),
        new("contoso", "Contoso Intelligence Group", Sector.Intelligence, "ciso@contoso.example"),
        new("initech", "Initech Health", Sector.Health, "privacy@initech.example"),
        new("fabrikam", "Fabrikam Commercial", Sector.Commercial, "it@fabrikam.example"),
        new("tailspin", "Tailspin Financial", Sector.Financial, "risk@tailspin.example"),
    ];

    public static readonly string[] WorkloadNames =
    [
        "Logistics Planner", "Contract Summarizer", "Maintenance Predictor", "Threat Report Triage", "Policy Q&A Assistant",
        "Code Review Bot", "Procurement Analyzer", "Incident Responder", "Translation Service", "Document Redactor",
        "Supply Chain Monitor", "Helpdesk Agent", "Intel Brief Drafter", "Fleet Readiness Dashboard", "Grant Review Assistant",
        "Claims Triage", "Clinical Notes Summarizer", "Fraud Signal Scorer", "Developer Copilot", "Records Search",
        "Training Content Generator", "Acquisition Writer", "Spectrum Planner", "Mission Debrief Analyzer", "Benefits Navigator",
        "Audit Evidence Collector", "Vulnerability Triage", "Field Manual Search", "Budget Narrative Writer",
    ];

    public static readonly string[] EnvironmentNames = ["Production", "Production", "Production", "Staging", "Development"];

    public static readonly string[] Owners = ["J. Rivera", "A. Chen", "M. Okafor", "S. Patel", "L. Novak", "R. Haddad", "K. Larsen", "D. Kim"];
}

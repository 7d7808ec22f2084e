# AI Model Compliance: build with the SDK, run on the ASP.NET runtime as a non-root user.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Compliance.Web/Compliance.Web.csproj -c Release -o /app -nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
RUN mkdir -p /app/App_Data && chown app:app /app/App_Data
USER app
# Behind a TLS-terminating load balancer, name it so its X-Forwarded-For/Proto are trusted (and nobody else's):
# ForwardedHeaders__KnownProxies__0=10.0.0.5 or ForwardedHeaders__KnownNetworks__0=10.0.0.0/24 (docs/security.md).
ENV ASPNETCORE_URLS=http://+:8080 \
    ASPNETCORE_ENVIRONMENT=Production
EXPOSE 8080
VOLUME ["/app/App_Data"]
HEALTHCHECK --interval=30s --timeout=5s --retries=3 \
    CMD curl --fail --silent http://localhost:8080/health || exit 1
ENTRYPOINT ["dotnet", "Compliance.Web.dll"]

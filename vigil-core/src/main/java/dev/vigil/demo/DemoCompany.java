package dev.vigil.demo;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * The people and machines of Kestrel Freight, the demo's fictional haulier: about three hundred staff (office staff
 * with a workstation or laptop, and drivers and warehouse staff who only use cloud apps from their phones), a hundred
 * hosts (domain controllers, file, SQL, mail and application servers, a DMZ with the public web site and the
 * Confluence wiki, Linux servers, workstations and laptops), each with its owner, criticality and software, and the
 * directory's view of the accounts (MFA methods, last sign-in, service and former staff accounts).
 *
 * <p>Built from a fixed seed relative to the demo's day: the same day gives the same company. The first thirty people
 * and the hosts WS001 to WS020 are the ones the demo's attacks were first written against; they keep their names and
 * desks so that the attacks, tests and golden answers about them keep their meaning.
 */
public final class DemoCompany {
    static final String NETBIOS_DOMAIN = "KESTREL";
    static final String DNS_DOMAIN = "kestrel.local";
    static final String MAIL_DOMAIN = "kestrelfreight.example";

    private static final String[] FIRST = {"anna", "ben", "carla", "david", "emma", "farid", "grace", "hugo", "ines",
            "jamal", "kate", "liam", "maria", "noah", "olga", "pavel", "quinn", "rosa", "sven", "tara", "umar", "vera",
            "will", "xena", "yusuf", "zoe", "adam", "bea", "chen", "dina"};
    private static final String[] LAST = {"smith", "jones", "garcia", "muller", "rossi", "novak", "kim", "silva",
            "dubois", "berg"};
    private static final String[] MORE_FIRST = {"aisha", "bruno", "clara", "dmitri", "elif", "felix", "greta",
            "hamid", "ivana", "jonas", "karin", "lars", "mei", "nils", "oscar", "petra", "rafael", "sara", "tomas",
            "ulla", "victor", "wanda", "yara", "zeynep", "alba", "boris", "celine", "dario", "elena", "finn", "gustav",
            "hanna", "igor", "julia", "kofi", "lena", "marek", "nadia", "omar", "paula", "ruth", "stefan", "teresa",
            "vincent", "wiebke", "amir", "britta", "cem", "daria", "emil"};
    private static final String[] MORE_LAST = {"andersen", "bauer", "costa", "dimitrov", "eriksen", "fischer",
            "horvat", "ivanova", "jansen", "kowalski", "lindqvist", "martin", "nowak", "olsen", "petrov", "quist",
            "richter", "schmidt", "torres", "urban", "vogel", "weber", "yilmaz", "zimmer", "lopez", "moreau", "peeters",
            "kaya", "hansen", "becker"};

    /** Departments with their job titles (the first is the head's); the last two work in the field. */
    private static final Map<String, String[]> TITLES = new LinkedHashMap<>();

    static {
        TITLES.put("Executive", new String[] {"Chief Executive Officer", "Chief Financial Officer",
                "Chief Operating Officer"});
        TITLES.put("IT", new String[] {"Head of IT", "Systems Administrator", "Network Engineer", "Service Desk Analyst"});
        TITLES.put("Security", new String[] {"Security Lead", "Security Analyst"});
        TITLES.put("Finance", new String[] {"Finance Director", "Accountant", "Accounts Payable Clerk", "Payroll Officer"});
        TITLES.put("HR", new String[] {"HR Manager", "HR Advisor", "Recruiter"});
        TITLES.put("Sales", new String[] {"Sales Director", "Account Manager", "Sales Representative"});
        TITLES.put("Customer Service", new String[] {"Customer Service Manager", "Customer Service Agent"});
        TITLES.put("Dispatch", new String[] {"Dispatch Manager", "Dispatcher", "Route Planner"});
        TITLES.put("Legal", new String[] {"General Counsel", "Contracts Manager"});
        TITLES.put("Warehouse", new String[] {"Warehouse Manager", "Warehouse Operative", "Forklift Operator"});
        TITLES.put("Fleet", new String[] {"Fleet Manager", "HGV Driver", "Van Driver"});
    }

    /** Office staff with a device of their own: the first 30, then desks WS021-WS050 and laptops LT001-LT035. */
    static final int OFFICE_STAFF = 30 + 30 + 35;
    static final int STAFF = 300;
    private static final String SPRAYED = "jamal.novak";

    /**
     * A member of staff.
     *
     * @param name the account name as Windows shows it ({@code quinn.kim})
     * @param device the workstation or laptop they use, or null for field staff (cloud apps on a phone only)
     * @param manager the manager's account name, or null for the chief executive
     * @param mfaMethods the MFA methods registered; empty for the ones without MFA
     */
    public record Person(String name, String displayName, String department, String title, String manager,
            String device, List<String> mfaMethods, List<String> groups, List<String> adminRoles, int egress) {
        public Person {
            requireNonNull(name, "name is null");
            mfaMethods = List.copyOf(mfaMethods);
            groups = List.copyOf(groups);
            adminRoles = List.copyOf(adminRoles);
        }

        public String upn() {
            return name + "@" + MAIL_DOMAIN;
        }

        public boolean office() {
            return device != null;
        }
    }

    /** One piece of installed software, by its real product name and version. */
    public record Installed(String name, String vendor, String version, String purl) {}

    /**
     * A host.
     *
     * @param role {@code dc}, {@code server}, {@code linux}, {@code dmz}, {@code workstation}, {@code laptop},
     *     {@code appliance}
     * @param services listening services as {@code protocol/port/address/process}
     */
    public record Host(String name, String address, String role, String os, String osVersion, String owner,
            String criticality, boolean internetFacing, List<String> tags, List<Installed> software,
            List<String> services) {
        public Host {
            requireNonNull(name, "name is null");
            tags = List.copyOf(tags);
            software = List.copyOf(software);
            services = List.copyOf(services);
        }

        public boolean windows() {
            return os.startsWith("Windows");
        }

        /** The name Windows and Sysmon write ({@code WS007.kestrel.local}); Linux hosts log their short name. */
        public String fqdn() {
            return windows() ? name + "." + DNS_DOMAIN : name;
        }
    }

    /** An account no one uses any more (a former employee, an old contractor) that is still enabled. */
    public record StaleAccount(String name, String displayName, Instant lastSignIn) {}

    private final LocalDate today;
    private final List<Person> people = new ArrayList<>();
    private final Map<String, Person> byName = new HashMap<>();
    private final List<Host> hosts = new ArrayList<>();
    private final Map<String, Host> hostByName = new HashMap<>();
    private final List<StaleAccount> stale = new ArrayList<>();
    private final Map<String, String> deviceUser = new HashMap<>();

    public DemoCompany(LocalDate today, long seed) {
        this.today = requireNonNull(today, "today is null");
        RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(seed ^ 0x5eed_c0ffeeL);
        buildPeople(random);
        buildHosts(random);
        for (int i = 0; i < 6; i++) {
            String first = MORE_FIRST[(i * 7 + 3) % MORE_FIRST.length];
            String last = MORE_LAST[(i * 11 + 5) % MORE_LAST.length];
            String name = first + "." + last + (i % 2 == 0 ? "" : ".ext");
            stale.add(new StaleAccount(name, cap(first) + " " + cap(last) + (i % 2 == 0 ? "" : " (contractor)"),
                    today.minusDays(120 + 47L * i).atTime(9 + i, 14).toInstant(ZoneOffset.UTC)));
        }
    }

    private void buildPeople(RandomGenerator random) {
        List<String> names = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (int i = 0; i < FIRST.length; i++) {
            String name = FIRST[i] + "." + LAST[i % LAST.length];
            names.add(name);
            taken.add(name);
        }
        taken.add(SPRAYED);
        while (names.size() < STAFF - 1) {
            String first = random.nextInt(3) == 0 ? FIRST[random.nextInt(FIRST.length)]
                    : MORE_FIRST[random.nextInt(MORE_FIRST.length)];
            String last = random.nextInt(4) == 0 ? LAST[random.nextInt(LAST.length)]
                    : MORE_LAST[random.nextInt(MORE_LAST.length)];
            String name = first + "." + last;
            if (taken.add(name)) {
                names.add(name);
            }
        }
        // the account the password spray breaks into, in the story since its first version: a driver, who only
        // signs in to cloud apps
        names.add(OFFICE_STAFF, SPRAYED);
        // Departments: the office staff spread over the office departments, the rest work in the warehouse or drive.
        List<String> office = List.of("Executive", "IT", "Security", "Finance", "HR", "Sales", "Customer Service",
                "Dispatch", "Legal", "Dispatch", "Customer Service", "Sales", "Finance", "IT");
        Map<String, String> heads = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            String department;
            String device;
            if (i < OFFICE_STAFF) {
                department = office.get(i % office.size());
                device = i < 30 ? workstationOfOriginal(name)
                        : i < 60 ? String.format(Locale.ROOT, "WS%03d", i - 9)
                        : String.format(Locale.ROOT, "LT%03d", i - 59);
            } else {
                department = i % 3 == 0 ? "Warehouse" : "Fleet";
                device = null;
            }
            String[] titles = TITLES.get(department);
            boolean head = !heads.containsKey(department);
            String title = head ? titles[0] : titles[1 + random.nextInt(titles.length - 1)];
            String manager = head ? (department.equals("Executive") ? null : heads.get("Executive"))
                    : heads.get(department);
            if (head) {
                heads.put(department, name);
            }
            List<String> groups = new ArrayList<>(List.of("All Staff", department));
            List<String> roles = new ArrayList<>();
            if (department.equals("IT") && !title.equals("Service Desk Analyst")) {
                groups.add("Domain Admins");
                roles.add(title.startsWith("Head") ? "Global Administrator" : "Exchange Administrator");
            }
            List<String> mfa;
            int roll = random.nextInt(100);
            if (device == null) {
                mfa = roll < 12 ? List.of() : List.of("sms");
            } else {
                mfa = roll < 6 ? List.of() : roll < 20 ? List.of("sms", "microsoftAuthenticator")
                        : List.of("microsoftAuthenticator");
            }
            Person person = new Person(name, displayName(name), department, title, manager, device, mfa, groups,
                    roles, i % 8);
            people.add(person);
            byName.put(name, person);
            if (device != null) {
                deviceUser.putIfAbsent(device, name);
            }
        }
        // The administrator who never set up MFA: a finding posture must raise.
        Person admin = people.stream().filter(p -> !p.adminRoles().isEmpty() && !p.title().startsWith("Head"))
                .findFirst().orElseThrow();
        replace(admin, new Person(admin.name(), admin.displayName(), admin.department(), admin.title(), admin.manager(),
                admin.device(), List.of(), admin.groups(), admin.adminRoles(), admin.egress()));
    }

    private void replace(Person old, Person updated) {
        people.set(people.indexOf(old), updated);
        byName.put(updated.name(), updated);
    }

    /** The desks of the first thirty people, as the demo first placed them. */
    private static String workstationOfOriginal(String name) {
        return String.format(Locale.ROOT, "WS%03d", Math.abs(name.hashCode()) % 20 + 1);
    }

    private void buildHosts(RandomGenerator random) {
        String itHead = people.stream().filter(p -> p.title().equals("Head of IT")).findFirst().orElseThrow().upn();
        String sysadmin = people.stream().filter(p -> p.title().equals("Systems Administrator")).findFirst()
                .map(Person::upn).orElse(itHead);
        List<Installed> windowsServer = List.of(
                new Installed("Microsoft Defender for Endpoint", "Microsoft", "10.8760.20348.1000", null),
                new Installed("7-Zip", "Igor Pavlov", "23.01", null));
        server("DC01", "10.20.0.2", "dc", "Windows Server 2022", "21H2", itHead, "critical", false,
                List.of("domain-controller", "tier0"), windowsServer, List.of("tcp/88/0.0.0.0/lsass.exe",
                        "tcp/389/0.0.0.0/lsass.exe", "tcp/445/0.0.0.0/System", "udp/53/0.0.0.0/dns.exe"));
        server("DC02", "10.20.0.3", "dc", "Windows Server 2022", "21H2", itHead, "critical", false,
                List.of("domain-controller", "tier0"), windowsServer, List.of("tcp/88/0.0.0.0/lsass.exe",
                        "tcp/389/0.0.0.0/lsass.exe", "udp/53/0.0.0.0/dns.exe"));
        server("FS01", "10.20.0.10", "server", "Windows Server 2019", "1809", sysadmin, "high", false,
                List.of("file-server"), windowsServer, List.of("tcp/445/0.0.0.0/System"));
        server("SQL01", "10.20.0.20", "server", "Windows Server 2019", "1809", sysadmin, "high", false,
                List.of("database", "finance"), concat(windowsServer, List.of(
                        new Installed("Microsoft SQL Server 2019", "Microsoft", "15.0.4375.4", null))),
                List.of("tcp/1433/0.0.0.0/sqlservr.exe"));
        server("MAIL01", "10.20.0.25", "server", "Windows Server 2019", "1809", sysadmin, "high", false,
                List.of("mail"), concat(windowsServer, List.of(
                        new Installed("Microsoft Exchange Server 2019", "Microsoft", "15.2.1258.12", null))),
                List.of("tcp/443/0.0.0.0/w3wp.exe", "tcp/25/0.0.0.0/EdgeTransport.exe"));
        server("APP01", "10.20.0.30", "server", "Windows Server 2019", "1809", sysadmin, "high", false,
                List.of("transport-management"), concat(windowsServer, List.of(
                        new Installed("Apache Tomcat", "Apache", "9.0.54", null),
                        new Installed("log4j-core", "Apache", "2.14.1",
                                "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"))),
                List.of("tcp/8080/0.0.0.0/tomcat9.exe"));
        server("BKP01", "10.20.0.40", "server", "Windows Server 2022", "21H2", sysadmin, "high", false,
                List.of("backup"), concat(windowsServer, List.of(
                        new Installed("Veeam Backup & Replication", "Veeam", "12.1.2.172", null))),
                List.of("tcp/9392/0.0.0.0/Veeam.Backup.Service.exe"));
        server("PRINT01", "10.20.0.45", "server", "Windows Server 2012 R2", "6.3", sysadmin, "low", false,
                List.of("print"), windowsServer, List.of("tcp/445/0.0.0.0/System"));
        server("RDS01", "10.30.0.20", "dmz", "Windows Server 2019", "1809", sysadmin, "medium", true,
                List.of("dmz", "remote-access"), windowsServer, List.of("tcp/3389/0.0.0.0/svchost.exe"));
        server("web01", "10.20.0.80", "dmz", "Ubuntu", "22.04", sysadmin, "medium", true, List.of("dmz", "website"),
                List.of(new Installed("nginx", "F5", "1.18.0", null), new Installed("OpenSSH", "OpenBSD", "8.9p1", null)),
                List.of("tcp/443/0.0.0.0/nginx", "tcp/22/0.0.0.0/sshd"));
        server("wiki01", "10.30.0.15", "dmz", "Ubuntu", "22.04", sysadmin, "high", true, List.of("dmz", "wiki"),
                List.of(new Installed("Confluence Data Center", "Atlassian", "8.5.3", null),
                        new Installed("OpenJDK", "Eclipse Adoptium", "17.0.8", null),
                        new Installed("nginx", "F5", "1.24.0", null)),
                List.of("tcp/443/0.0.0.0/nginx", "tcp/8090/127.0.0.1/java"));
        server("db01", "10.20.0.50", "linux", "Ubuntu", "22.04", sysadmin, "high", false, List.of("database"),
                List.of(new Installed("PostgreSQL", "PostgreSQL", "15.4", null)),
                List.of("tcp/5432/0.0.0.0/postgres"));
        server("jump01", "10.20.0.60", "linux", "Red Hat Enterprise Linux", "9.3", sysadmin, "high", false,
                List.of("bastion"), List.of(new Installed("OpenSSH", "OpenBSD", "8.7p1", null)),
                List.of("tcp/22/0.0.0.0/sshd"));
        server("sensor01", "10.20.0.70", "linux", "Ubuntu", "22.04", sysadmin, "medium", false,
                List.of("network-sensor"), List.of(new Installed("Zeek", "Zeek", "6.0.4", null)), List.of());
        server("fw01", "10.20.0.1", "appliance", "PAN-OS", "11.1.2", sysadmin, "critical", true,
                List.of("firewall", "edge"), List.of(),
                List.of("tcp/443/0.0.0.0/mgmt"));
        for (int i = 1; i <= 50; i++) {
            String name = String.format(Locale.ROOT, "WS%03d", i);
            endpoint(name, "10.20.1." + i, "workstation", random);
        }
        for (int i = 1; i <= 35; i++) {
            String name = String.format(Locale.ROOT, "LT%03d", i);
            endpoint(name, "10.20.2." + i, "laptop", random);
        }
    }

    private void endpoint(String name, String address, String role, RandomGenerator random) {
        String user = deviceUser.get(name);
        Person person = user == null ? null : byName.get(user);
        boolean executive = person != null && (person.department().equals("Executive")
                || person.department().equals("Finance"));
        List<Installed> software = new ArrayList<>(List.of(
                new Installed("Microsoft 365 Apps for enterprise", "Microsoft", "16.0.17928.20216", null),
                new Installed("Google Chrome", "Google", random.nextInt(5) == 0 ? "128.0.6613.120" : "131.0.6778.86",
                        null),
                new Installed("Microsoft Teams", "Microsoft", "24295.605.3225.8804", null),
                new Installed("Adobe Acrobat Reader DC", "Adobe", "24.004.20220", null),
                new Installed("Microsoft Defender for Endpoint", "Microsoft", "10.8760.19045.1000", null)));
        if (random.nextInt(3) == 0) {
            software.add(new Installed("7-Zip", "Igor Pavlov", random.nextBoolean() ? "24.08" : "19.00", null));
        }
        if (person != null && person.department().equals("Dispatch")) {
            software.add(new Installed("Zoom Workplace", "Zoom", "6.2.11", null));
        }
        boolean old = random.nextInt(12) == 0;
        Host host = new Host(name, address, role, old ? "Windows 10" : "Windows 11", old ? "22H2" : "23H2",
                person == null ? null : person.upn(), executive ? "high" : person == null ? "low" : "medium", false,
                person == null ? List.of("spare") : List.of(person.department().toLowerCase(Locale.ROOT)), software,
                List.of());
        hosts.add(host);
        hostByName.put(name, host);
    }

    private void server(String name, String address, String role, String os, String osVersion, String owner,
            String criticality, boolean internetFacing, List<String> tags, List<Installed> software,
            List<String> services) {
        Host host = new Host(name, address, role, os, osVersion, owner, criticality, internetFacing, tags, software,
                services);
        hosts.add(host);
        hostByName.put(name, host);
    }

    private static List<Installed> concat(List<Installed> a, List<Installed> b) {
        List<Installed> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    public List<Person> people() {
        return List.copyOf(people);
    }

    /** The people who work at a desk or on a laptop (the others only use cloud apps). */
    public List<Person> officeStaff() {
        return people.stream().filter(Person::office).toList();
    }

    /** The thirty people the demo's attacks were first written against, in their order. */
    public List<Person> original() {
        return people.subList(0, 30);
    }

    public Person person(String name) {
        Person person = byName.get(name);
        if (person == null) {
            throw new IllegalArgumentException("no one at Kestrel Freight is called '" + name + "'");
        }
        return person;
    }

    public List<Host> hosts() {
        return List.copyOf(hosts);
    }

    public Host host(String name) {
        Host host = hostByName.get(name);
        if (host == null) {
            throw new IllegalArgumentException("Kestrel Freight has no host '" + name + "'");
        }
        return host;
    }

    /** The person whose desk or laptop it is (the first, where the first thirty share a desk). */
    public Person userOf(String device) {
        String user = deviceUser.get(device);
        return user == null ? people.get(0) : byName.get(user);
    }

    public List<StaleAccount> staleAccounts() {
        return List.copyOf(stale);
    }

    /** The address a host has ({@code 10.20.1.7} for WS007). */
    public String addressOf(String host) {
        return host(host).address();
    }

    /**
     * The inventory in Vigil's JSON inventory format ({@code vigil inventory import}): assets with their owner,
     * criticality, exposure, software and services, and identities with their groups, roles, MFA methods and last
     * sign-in.
     */
    public Map<String, Object> inventory() {
        List<Object> assets = new ArrayList<>();
        for (Host host : hosts) {
            Map<String, Object> asset = new LinkedHashMap<>();
            asset.put("hostname", host.fqdn());
            asset.put("addresses", List.of(host.address()));
            asset.put("os", host.os());
            asset.put("os_version", host.osVersion());
            if (host.owner() != null) {
                asset.put("owner", host.owner());
            }
            asset.put("criticality", host.criticality());
            asset.put("internet_facing", host.internetFacing());
            asset.put("tags", host.tags());
            List<Object> software = new ArrayList<>();
            for (Installed item : host.software()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("name", item.name());
                row.put("vendor", item.vendor());
                row.put("version", item.version());
                if (item.purl() != null) {
                    row.put("purl", item.purl());
                }
                software.add(row);
            }
            asset.put("software", software);
            List<Object> services = new ArrayList<>();
            for (String service : host.services()) {
                String[] parts = service.split("/", 4);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("protocol", parts[0]);
                row.put("port", Integer.parseInt(parts[1]));
                row.put("address", parts[2]);
                row.put("process", parts[3]);
                services.add(row);
            }
            asset.put("services", services);
            assets.add(asset);
        }
        List<Object> identities = new ArrayList<>();
        Instant recent = today.atTime(8, 0).toInstant(ZoneOffset.UTC);
        for (Person person : people) {
            Map<String, Object> identity = new LinkedHashMap<>();
            identity.put("name", person.name());
            identity.put("display_name", person.displayName());
            identity.put("groups", person.groups());
            identity.put("admin_roles", person.adminRoles());
            identity.put("mfa_methods", person.mfaMethods());
            identity.put("last_sign_in", recent.minusSeconds(3600L * (person.name().length() % 30)).toString());
            identity.put("enabled", true);
            identity.put("password_never_expires", false);
            identities.add(identity);
        }
        // The backup service account the phishing attack borrows: a domain admin with a password that never expires.
        Map<String, Object> service = new LinkedHashMap<>();
        service.put("name", "svc_backup");
        service.put("display_name", "Backup service (Veeam)");
        service.put("groups", List.of("Backup Operators", "Domain Admins"));
        service.put("admin_roles", List.of());
        service.put("mfa_methods", List.of());
        service.put("last_sign_in", recent.toString());
        service.put("enabled", true);
        service.put("password_never_expires", true);
        identities.add(service);
        for (StaleAccount account : stale) {
            Map<String, Object> identity = new LinkedHashMap<>();
            identity.put("name", account.name());
            identity.put("display_name", account.displayName());
            identity.put("groups", List.of("All Staff"));
            identity.put("admin_roles", List.of());
            identity.put("mfa_methods", List.of());
            identity.put("last_sign_in", account.lastSignIn().toString());
            identity.put("enabled", true);
            identity.put("password_never_expires", false);
            identities.add(identity);
        }
        Map<String, Object> inventory = new LinkedHashMap<>();
        inventory.put("assets", assets);
        inventory.put("identities", identities);
        return inventory;
    }

    static String displayName(String user) {
        String[] parts = user.split("\\.");
        return cap(parts[0]) + " " + cap(parts[1]);
    }

    private static String cap(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}

#pragma once
// Reference data the season generators draw from: South African packhouse towns and growing
// regions, farm names, citrus fruit types with real cultivars, box sizes, markets and their
// buyers, shipping lines. Fictional companies; real places and cultivars. Changing any list
// changes what a seed generates.

#include <array>
#include <string_view>

namespace fruitpak::services::season {

struct PackhouseSite {
  std::string_view name;
  std::string_view town;
  std::string_view province;
  std::string_view port;          // where its containers are shipped from
  std::string_view plate_prefix;  // vehicle registrations: "CA 123-456" (prefix) or "BHT 123 L"
  std::string_view plate_suffix;
  std::array<std::string_view, 6> regions;
  int capacity_tons_per_day;
  int cold_rooms;
};

inline constexpr std::array<PackhouseSite, 3> kPackhouseSites{{
    {"Olifants River Packhouse", "Citrusdal", "Western Cape", "Cape Town", "CA", "",
     {"Citrusdal", "Clanwilliam", "Ceres", "Paarl", "Piketberg", "Wellington"}, 450, 8},
    {"Letaba Citrus Packhouse", "Letsitele", "Limpopo", "Durban", "", "L",
     {"Letsitele", "Tzaneen", "Hoedspruit", "Groblersdal", "Marble Hall", "Mooketsi"}, 600, 10},
    {"Sundays River Packhouse", "Kirkwood", "Eastern Cape", "Gqeberha", "", "EC",
     {"Sundays River Valley", "Kirkwood", "Addo", "Patensie", "Fort Beaufort", "Sunland"}, 520, 9},
}};

inline constexpr std::array<std::string_view, 44> kFarmNames{
    "Rietvlei",      "Boschkloof",    "Welgevonden", "Kleinfontein", "Soetendal",   "Modderfontein",
    "Goedverwacht",  "Olifantskop",   "Keerom",      "Langkloof",    "Sandrivier",  "Boesmanskloof",
    "Brakfontein",   "Dwarsrivier",   "Elandskloof", "Groenrivier",  "Kransfontein", "Leeuwkop",
    "Mooiplaas",     "Onverwacht",    "Rooihoogte",  "Schoongezicht", "Twee Riviere", "Uitkyk",
    "Vergenoegd",    "Witkrans",      "Zandvliet",   "Bokmakierie",  "Kliprivier",  "Doornkraal",
    "Palmietvallei", "Wolwekloof",    "Steenbokvlakte", "Tshipise",  "Mahela",      "Letaba Drift",
    "Nooitgedacht",  "Vaalkrans",     "Blouberg",    "Bergendal",    "Houtkloof",   "Suurbraak",
    "Misgund",       "Driefontein"};

inline constexpr std::array<std::string_view, 5> kGrowerSuffixes{
    " Boerdery", " Citrus (Pty) Ltd", " Farming Trust", " Estates", " Landgoed"};

struct Cultivar {
  std::string_view name;
  double season_from;  // share of the season, 0..1, in which it is harvested
  double season_to;
};

struct FruitKind {
  std::string_view fruit_type;  // batches.fruit_type, product_configs.fruit_type
  std::array<Cultivar, 4> cultivars;
  std::array<std::string_view, 5> sizes;  // count sizes of its cartons
  double brix_low, brix_high;
  int box;                 // index into kBoxSizes for export grades
  double usd_per_kg;       // class 1 export price; class 2 fetches 80 %
  double grower_zar_per_kg;
};

inline constexpr std::array<FruitKind, 4> kFruits{{
    {"Orange",
     {{{"Washington Navel", 0.15, 0.55}, {"Palmer Navel", 0.20, 0.60}, {"Midknight Valencia", 0.55, 1.0},
       {"Delta Valencia", 0.60, 1.0}}},
     {"48", "56", "64", "72", "88"}, 10.5, 13.0, 0, 0.85, 4.10},
    {"Lemon",
     {{{"Eureka", 0.0, 0.70}, {"Lisbon", 0.10, 0.80}, {"Genoa", 0.0, 0.60}, {"Eureka Seedless", 0.30, 1.0}}},
     {"75", "88", "100", "113", "138"}, 7.0, 9.0, 0, 1.20, 5.60},
    {"Soft Citrus",
     {{{"Nules Clementine", 0.0, 0.35}, {"Nadorcott", 0.25, 0.65}, {"Tango", 0.35, 0.75}, {"Orri", 0.45, 0.85}}},
     {"1XX", "1X", "1", "2", "3"}, 11.0, 14.0, 1, 1.30, 6.20},
    {"Grapefruit",
     {{{"Star Ruby", 0.10, 0.65}, {"Marsh Seedless", 0.15, 0.70}, {"Rose", 0.10, 0.55}, {"Flame", 0.30, 0.80}}},
     {"27", "32", "36", "40", "45"}, 9.0, 11.0, 0, 0.80, 3.40},
}};

struct BoxSize {
  std::string_view name;
  std::string_view code;
  double weight_kg;
  double cost_per_unit;
  std::string_view pallet_type;
  int cartons_per_pallet;
};

inline constexpr std::array<BoxSize, 3> kBoxSizes{{
    {"A15C open top 15 kg", "A15C", 15.0, 9.80, "Export 1200x1000", 80},
    {"C10 soft citrus 10 kg", "C10", 10.0, 7.60, "Export 1200x1000 soft citrus", 112},
    {"L12 local market 12 kg", "L12", 12.0, 5.40, "Local 1200x1000", 96},
}};
inline constexpr int kLocalBox = 2;

struct Market {
  std::string_view target_market;  // lots, pallets, exports
  std::string_view client;         // clients.name
  std::string_view country;
  std::string_view port;
  std::string_view currency;
  std::string_view incoterm;
  double per_usd;       // price conversion from USD
  int payment_terms_days;
  int transit_days;
};

inline constexpr std::array<Market, 6> kExportMarkets{{
    {"EU", "Rotterdam Fresh Imports BV", "Netherlands", "Rotterdam", "EUR", "CIF", 0.92, 45, 18},
    {"UK", "Thames Citrus Ltd", "United Kingdom", "London Gateway", "GBP", "CIF", 0.79, 30, 17},
    {"Middle East", "Gulf Fresh Trading LLC", "United Arab Emirates", "Jebel Ali", "USD", "CFR", 1.0, 30, 21},
    {"Far East", "Pearl River Fruit Co Ltd", "China", "Shanghai", "USD", "CFR", 1.0, 60, 28},
    {"USA", "Delaware Valley Citrus Inc", "United States", "Philadelphia", "USD", "FOB", 1.0, 45, 24},
    {"Indian Ocean", "Indian Ocean Produce Ltd", "Mauritius", "Port Louis", "USD", "FOB", 1.0, 30, 7},
}};
inline constexpr std::string_view kLocalMarket = "Local";

struct ShippingLine {
  std::string_view name;
  std::string_view code;
  std::array<std::string_view, 3> vessels;
};

inline constexpr std::array<ShippingLine, 3> kShippingLines{{
    {"Maersk", "MAEU", {"Maersk Cape Town", "Maersk Durban", "Maersk Ngqura"}},
    {"MSC", "MSCU", {"MSC Aurora", "MSC Table Bay", "MSC Zambezi"}},
    {"CMA CGM", "CMDU", {"CMA CGM Limpopo", "CMA CGM Agulhas", "CMA CGM Kei"}},
}};

inline constexpr std::array<std::string_view, 4> kRejectionReasons{
    "False codling moth larvae found at intake inspection", "Decay above 3 % in the intake sample",
    "Residue report outstanding for the block", "Wind scar and rind blemish above class 2 limits"};

}  // namespace fruitpak::services::season
